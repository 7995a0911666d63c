//! Which definition of an alarm was in force at a time, as its alarm history's
//! `ConfigurationUpdate` items show it: the latest item at or before the time, or, with none,
//! the first after it read backwards (an Update's `originalUpdatedFields` over its
//! `updatedAlarm`, a Delete's `deletedAlarm`; a Create: the alarm did not exist). An item that
//! could not be read leaves it unknown, never passed over. Pure: reads the items given.

use crate::model::{AlarmHistoryItem, HistoryDefinition, Timestamp};

/// The alarm history item's id, as the timeline and `alarm_evidence` cite it.
pub fn cite(h: &AlarmHistoryItem) -> String {
    h.id()
}

/// The alarm's definition in force at a time.
pub enum InForce<'e> {
    /// Recorded by `item`: its definition after the change (the latest item at or before the
    /// time; `later` false), or before it (the first item after the time; `later` true).
    Recorded {
        item: &'e AlarmHistoryItem,
        def: &'e HistoryDefinition,
        later: bool,
    },
    /// The first item after the time creates the alarm: it did not exist then.
    NotCreated(&'e AlarmHistoryItem),
    /// The item that would say could not be read, or is an Update after the time that does not
    /// record the fields it changed.
    Unknown {
        item: &'e AlarmHistoryItem,
        why: String,
    },
}

impl<'e> InForce<'e> {
    /// The item it rests on, cited: `alarm history ConfigurationUpdate at <time> (<cite>)`.
    pub fn at(&self) -> String {
        let h = match self {
            InForce::Recorded { item, .. } | InForce::NotCreated(item) => item,
            InForce::Unknown { item, .. } => item,
        };
        format!(
            "alarm history ConfigurationUpdate at {} ({})",
            h.time,
            cite(h)
        )
    }

    /// The definition in force, when the history records it and the alarm existed.
    pub fn definition(&self) -> Option<&'e HistoryDefinition> {
        match self {
            InForce::Recorded { def, .. } => Some(def).filter(|d| d.in_force()).copied(),
            _ => None,
        }
    }
}

/// The definition in force at `t`, from one alarm's `ConfigurationUpdate` items (oldest first);
/// `None` when it has none.
pub fn in_force<'e>(items: &[&'e AlarmHistoryItem], t: Timestamp) -> Option<InForce<'e>> {
    if let Some(&item) = items.iter().rev().find(|h| h.time <= t) {
        return Some(match (&item.definition, &item.data_unreadable) {
            (Some(def), None) => InForce::Recorded {
                item,
                def,
                later: false,
            },
            (_, why) => InForce::Unknown {
                item,
                why: format!(
                    "this alarm history item, the latest before the first access, records the alarm's definition, but it could not be read ({})",
                    why.as_deref().unwrap_or("its HistoryData records no definition")
                ),
            },
        });
    }
    let &item = items.first()?;
    Some(match (&item.definition, &item.data_unreadable) {
        (Some(def), None) if def.change == "Create" => InForce::NotCreated(item),
        (Some(def), None) => match def.before.as_deref() {
            Some(before) => InForce::Recorded {
                item,
                def: before,
                later: true,
            },
            None => InForce::Unknown {
                item,
                why: format!(
                    "the alarm's first recorded change is this {} after the first access, and its HistoryData does not record the fields it changed (originalUpdatedFields)",
                    def.change
                ),
            },
        },
        (_, why) => InForce::Unknown {
            item,
            why: format!(
                "the alarm's first recorded change is this item after the first access, and it could not be read ({})",
                why.as_deref().unwrap_or("its HistoryData records no definition")
            ),
        },
    })
}

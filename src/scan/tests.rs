//! The pass's unit tests: rows made two ways, `Seen` with repeats spared, results in the order
//! asked whatever the order files are read in.

use super::*;
use std::path::Path;
use std::sync::Mutex;

/// Compares the two ways to a row for every record read.
struct BothWays {
    records: Mutex<u64>,
    differ: Mutex<Vec<String>>,
}

impl Selector for BothWays {
    fn keep(&self, input: u32, item: &RecordItem<'_>) -> bool {
        *self.records.lock().unwrap() += 1;
        let (quick, by_value) = (
            target_of(item.view),
            crate::parse::target_by_value(item.view),
        );
        if quick != by_value {
            self.differ
                .lock()
                .unwrap()
                .push(format!("target {quick:?} / {by_value:?}"));
        }
        for kind in [EntryKind::Other, EntryKind::HoneytokenAccess] {
            let direct = to_entry(item, input, kind);
            let via_event = TimelineEntry::from_event(&to_event(item, input), kind, Vec::new());
            if direct != via_event {
                self.differ
                    .lock()
                    .unwrap()
                    .push(format!("{direct:?} / {via_event:?}"));
            }
        }
        false
    }
}

/// `to_entry` gives the row `from_event` gives (and the target read quickly is the one
/// read from the whole parameters), on the samples and on the recorded public
/// records (Insights events, SAML and web identity users, AWS accounts, OTel exports).
#[test]
fn a_row_made_from_the_view_is_the_row_made_from_the_event() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let inputs = [
        root.join("samples/incident-01"),
        root.join("tests/data/records"),
        root.join("tests/data/shared"),
    ];
    let d = crate::source::discover(&inputs).unwrap();
    let all: Vec<u32> = (0..d.files.len() as u32).collect();
    let opts = PassOptions {
        max_inflated: 1 << 30,
        index: false,
        s3_decoys: None,
        arrivals: None,
    };
    let both = BothWays {
        records: Mutex::new(0),
        differ: Mutex::default(),
    };
    scan(&d.files, &all, opts, &both, &|_| {});
    assert!(*both.records.lock().unwrap() > 1000);
    assert_eq!(both.differ.into_inner().unwrap(), Vec::<String>::new());
}

/// Files are read largest first, but each result comes back at its file's place in `which`
/// (the order the passes fold them in: the inputs' list, the second pass's `Seen` by index),
/// whatever order `which` is in.
#[test]
fn results_come_back_in_the_order_asked_whatever_the_order_read() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let d = crate::source::discover(&[root.join("samples/incident-01")]).unwrap();
    let sizes: Vec<u64> = d.files.iter().map(size_hint).collect();
    assert!(sizes.iter().min() < sizes.iter().max());
    let opts = PassOptions {
        max_inflated: 1 << 30,
        index: false,
        s3_decoys: None,
        arrivals: None,
    };
    struct KeepNone;
    impl Selector for KeepNone {
        fn keep(&self, _: u32, _: &RecordItem<'_>) -> bool {
            false
        }
    }
    let forward: Vec<u32> = (0..d.files.len() as u32).collect();
    let backward: Vec<u32> = forward.iter().rev().copied().collect();
    for which in [forward, backward] {
        let paths: Vec<String> = scan(&d.files, &which, opts, &KeepNone, &|_| {})
            .into_iter()
            .map(|r| r.summary.unwrap().path.to_string())
            .collect();
        let asked: Vec<String> = which
            .iter()
            .map(|&i| d.files[i as usize].display.to_string())
            .collect();
        assert_eq!(paths, asked);
    }
}

/// What a file's records come to in its `Seen`, noted with the recent hashes spared, is the
/// sorted set of every record's keys and (address, principal): records of 40 principals
/// (more than the slots, so that they evict one another), some without an identity, an
/// access key or an IP address, in runs and interleaved.
#[test]
fn a_seen_noted_with_repeats_spared_settles_to_every_key_and_address() {
    let record = |n: usize| {
        let who = n * 7 % 40;
        let identity = match n % 9 {
            0 => String::new(),
            1 => format!(r#","userIdentity":{{"arn":"arn:aws:iam::1:user/u{who}"}}"#),
            _ => format!(
                r#","userIdentity":{{"arn":"arn:aws:iam::1:user/u{who}","principalId":"AIDA{who}","accessKeyId":"AKIA{}"}}"#,
                who % 13
            ),
        };
        let ip = match n % 5 {
            0 => "s3.amazonaws.com".to_string(),
            _ => format!("192.0.2.{}", n % 23),
        };
        format!(r#"{{"eventName":"X","sourceIPAddress":"{ip}"{identity}}}"#)
    };
    let texts: Vec<String> = (0..400)
        .map(|n| record(if n % 3 == 0 { n / 3 } else { n }))
        .collect();
    let views: Vec<RecordView<'_>> = texts
        .iter()
        .map(|t| RecordView::parse(t).unwrap())
        .collect();
    let (mut seen, mut recent) = (Seen::default(), Recent::default());
    for v in &views {
        seen.note(v, &mut recent);
    }
    seen.settle();
    let mut principals: Vec<u64> = views
        .iter()
        .flat_map(|v| v.principal_keys().map(key_hash))
        .collect();
    principals.sort_unstable();
    principals.dedup();
    let mut addresses: Vec<(u64, u64)> = views
        .iter()
        .filter_map(|v| {
            let ip = v.source_ip.as_str().filter(|ip| looks_like_ip(ip))?;
            let who = v.principal_keys().map(key_hash).next().unwrap_or(0);
            Some((key_hash(ip), who))
        })
        .collect();
    addresses.sort_unstable();
    addresses.dedup();
    assert!(principals.len() > 80 && addresses.len() > 100);
    assert_eq!(seen.principals, principals);
    assert_eq!(seen.addresses, addresses);
}

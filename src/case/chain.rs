//! What a case path says about a file: digest, sidecar, log file or key list, and which chain or
//! account/region it belongs to. The CloudTrail key layout itself is read by `model::trail_key`
//! (re-exported here for the case's verification); this file adds only the case's own names: a
//! digest's `.signature` sidecar and the ListPublicKeys output.

pub(crate) use crate::model::trail_key::{
    chain_id, hourly_chain_id, is_backfill_digest_key, is_digest_key, is_log_key, log_file_time,
    scope_of, Scope,
};

pub(crate) const SIDECAR_SUFFIX: &str = ".signature";

/// `public-keys.json` at the top of `cloudtrail/`; also `public-keys-<region>.json` or
/// `public-keys/<anything>.json`, since ListPublicKeys answers for one region per call.
pub(crate) fn is_public_keys_key(key: &str) -> bool {
    let top_level = !key.contains('/') && key.starts_with("public-keys");
    let in_folder = key.starts_with("public-keys/") && key.matches('/').count() == 1;
    (top_level || in_folder) && key.ends_with(".json")
}

#[cfg(test)]
mod tests {
    use super::*;

    const DIGEST: &str = "AWSLogs/111122223333/CloudTrail-Digest/us-east-2/2015/08/17/111122223333_CloudTrail-Digest_us-east-2_my_trail_us-east-2_20150817T150131Z.json.gz";
    const LOG: &str = "AWSLogs/111122223333/CloudTrail/us-east-2/2015/08/17/111122223333_CloudTrail_us-east-2_20150817T1445Z_9nYN7gp2eWAJHIfT.json.gz";

    #[test]
    fn classifies_keys() {
        assert!(is_digest_key(DIGEST) && !is_log_key(DIGEST));
        assert!(is_log_key(LOG) && !is_digest_key(LOG));
        assert!(!is_digest_key(&format!("{DIGEST}{SIDECAR_SUFFIX}")));
        assert!(is_public_keys_key("public-keys.json"));
        assert!(is_public_keys_key("public-keys/eu-west-1.json"));
        assert!(!is_public_keys_key("AWSLogs/public-keys.json"));
    }

    #[test]
    fn digests_and_logs_of_one_region_share_a_scope() {
        assert_eq!(scope_of(DIGEST), scope_of(LOG));
        assert_eq!(
            scope_of("o-abc/AWSLogs/o-abc/1/CloudTrail/eu-west-1/2020/01/01/f.json.gz")
                .unwrap()
                .region,
            "eu-west-1"
        );
    }

    #[test]
    fn chain_id_drops_only_the_timestamp() {
        // The next day's digest, in the next day's folder, is the same chain.
        let later = DIGEST
            .replace("20150817T150131Z", "20150818T000131Z")
            .replace("/08/17/", "/08/18/");
        assert_eq!(chain_id(DIGEST), chain_id(&later));
        assert!(chain_id(DIGEST).ends_with("_my_trail_us-east-2"));
        assert_ne!(
            chain_id(DIGEST),
            chain_id(&DIGEST.replace("my_trail", "other"))
        );
    }

    #[test]
    fn a_backfill_digest_has_its_own_chain_beside_the_hourly_one() {
        let backfill = DIGEST.replace(".json.gz", "_backfill.json.gz");
        assert!(is_digest_key(&backfill) && is_backfill_digest_key(&backfill));
        assert!(!is_backfill_digest_key(DIGEST));
        assert!(!is_backfill_digest_key(&format!(
            "{backfill}{SIDECAR_SUFFIX}"
        )));
        assert_eq!(
            chain_id(&backfill),
            format!("{}_backfill", chain_id(DIGEST))
        );
        assert_eq!(hourly_chain_id(&backfill), chain_id(DIGEST));
        let later = backfill.replace("20150817T150131Z", "20150817T180131Z");
        assert_eq!(chain_id(&backfill), chain_id(&later));
    }

    #[test]
    fn reads_the_time_in_a_log_file_name() {
        assert_eq!(
            log_file_time(LOG).unwrap().to_rfc3339(),
            "2015-08-17T14:45:00+00:00"
        );
        assert_eq!(log_file_time("AWSLogs/x/CloudTrail/r/obj1.json.gz"), None);
    }
}

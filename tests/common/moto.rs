//! Starts moto's server (with trailcase's additions, `tests/moto/trailcase_moto.py`) on a free
//! loopback port, waits until it answers, and kills it when dropped. A missing moto is a test
//! failure with the command that installs it, never a skip.

use std::io::Read as _;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

pub struct Moto {
    child: Child,
    pub endpoint: String,
    seed: PathBuf,
    _dir: tempfile::TempDir,
}

/// The additions script, from the root crate's tests or a workspace member's (which include
/// this file with `#[path]`).
fn script() -> PathBuf {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    [dir.clone(), dir.join("..")]
        .iter()
        .map(|d| d.join("tests/moto/trailcase_moto.py"))
        .find(|p| p.exists())
        .expect("tests/moto/trailcase_moto.py in this crate or its workspace root")
}

fn python() -> String {
    std::env::var("TRAILCASE_PYTHON").unwrap_or_else(|_| "python3".into())
}

impl Moto {
    pub fn start() -> Moto {
        Moto::start_with(&[])
    }

    /// [`Moto::start`] with extra environment variables for the server (`MOTO_ACCOUNT_ID`: the
    /// account every resource is made in, 123456789012 by default).
    pub fn start_with(env: &[(&str, &str)]) -> Moto {
        let py = python();
        let check = Command::new(&py)
            .args(["-c", "import moto.server, cbor2"])
            .output();
        match check {
            Ok(o) if o.status.success() => {}
            Ok(o) => panic!(
                "moto's server is not installed for {py}: run `{py} -m pip install 'moto[server]' cbor2` \
                 (scripts/test.sh does this); import failed with: {}",
                String::from_utf8_lossy(&o.stderr)
            ),
            Err(e) => panic!("cannot run {py} to start moto's server ({e}): install Python 3 and `pip install 'moto[server]' cbor2`"),
        }
        let port = TcpListener::bind("127.0.0.1:0")
            .and_then(|l| l.local_addr())
            .expect("a free loopback port")
            .port();
        let dir = tempfile::tempdir().unwrap();
        let seed = dir.path().join("seed.json");
        std::fs::write(&seed, "{}").unwrap();
        let script = script();
        let mut child = Command::new(&py)
            .arg(&script)
            .args(["-H", "127.0.0.1", "-p", &port.to_string()])
            .env("TRAILCASE_MOTO_SEED", &seed)
            .envs(env.iter().copied())
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("moto's server starts");
        let deadline = Instant::now() + Duration::from_secs(60);
        while TcpStream::connect(("127.0.0.1", port)).is_err() {
            if let Ok(Some(status)) = child.try_wait() {
                let mut err = String::new();
                if let Some(mut e) = child.stderr.take() {
                    let _ = e.read_to_string(&mut err);
                }
                panic!("moto's server exited ({status}) before answering: {err}");
            }
            assert!(
                Instant::now() < deadline,
                "moto's server did not answer on port {port} within 60 s"
            );
            std::thread::sleep(Duration::from_millis(100));
        }
        // Its request log is not needed; drain it so the pipe never fills.
        if let Some(mut e) = child.stderr.take() {
            std::thread::spawn(move || {
                let mut sink = Vec::new();
                let _ = e.read_to_end(&mut sink);
            });
        }
        Moto {
            child,
            endpoint: format!("http://127.0.0.1:{port}"),
            seed,
            _dir: dir,
        }
    }

    /// The SDK's configuration for this server: `region`, test credentials (moto takes any),
    /// plain HTTP. Tests seed moto through it.
    pub async fn sdk_config(&self, region: &str) -> aws_config::SdkConfig {
        aws_config::defaults(aws_config::BehaviorVersion::latest())
            .region(aws_config::Region::new(region.to_string()))
            .endpoint_url(&self.endpoint)
            .test_credentials()
            .http_client(aws_smithy_http_client::Builder::new().build_http())
            .load()
            .await
    }

    /// Every request the server was sent so far (`GET /_trailcase/requests`): `method`, `path`,
    /// `query` and `target` (X-Amz-Target) of each, in order. (Unused by the kill-switch's
    /// tests, which include this file too.)
    #[allow(dead_code)]
    pub fn requests(&self) -> serde_json::Value {
        use std::io::Write as _;
        let address = self.endpoint.trim_start_matches("http://");
        let mut stream = TcpStream::connect(address).expect("moto answers");
        write!(
            stream,
            "GET /_trailcase/requests HTTP/1.1\r\nHost: {address}\r\nConnection: close\r\n\r\n"
        )
        .unwrap();
        let mut answer = String::new();
        stream.read_to_string(&mut answer).unwrap();
        let body = answer.split_once("\r\n\r\n").map_or("", |(_, b)| b);
        serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {answer}"))
    }

    /// What the additions answer with (see the script's docstring); read on every request.
    pub fn seed(&self, v: &serde_json::Value) {
        std::fs::write(&self.seed, serde_json::to_vec(v).unwrap()).unwrap();
    }
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

//! A writer whose bytes are written by a thread of its own, a large buffer at a time: what makes
//! the output (the copy into the page cache, or a pipe's reader) runs beside the work that makes
//! the bytes, not between its steps. For `timeline --all`, whose merge writes every record.
//! Imports nothing of the crate.

use std::io::{self, Write};
use std::sync::mpsc::{channel, sync_channel, Receiver, Sender, SyncSender};
use std::thread::JoinHandle;

/// Buffers in flight to the writing thread at most (besides the one being filled).
const IN_FLIGHT: usize = 2;

enum Message {
    Bytes(Vec<u8>),
    /// Flush the sink, and say how it went.
    Flush,
}

/// Bytes buffered here, written by another thread in buffers of about `capacity` bytes.
pub struct WriteBehind {
    buf: Vec<u8>,
    capacity: usize,
    to_thread: Option<SyncSender<Message>>,
    /// Buffers written, back for reuse.
    spare: Receiver<Vec<u8>>,
    flushed: Receiver<io::Result<()>>,
    thread: Option<JoinHandle<io::Result<()>>>,
}

impl WriteBehind {
    pub fn new(mut sink: Box<dyn Write + Send>, capacity: usize) -> WriteBehind {
        let (to_thread, from_main) = sync_channel::<Message>(IN_FLIGHT);
        let (give_back, spare) = channel::<Vec<u8>>();
        let (tell, flushed) = channel::<io::Result<()>>();
        let thread =
            std::thread::spawn(move || write_all_of(&mut *sink, &from_main, &give_back, &tell));
        WriteBehind {
            buf: Vec::with_capacity(capacity),
            capacity,
            to_thread: Some(to_thread),
            spare,
            flushed,
            thread: Some(thread),
        }
    }

    /// Hand the buffer to the thread; a reused one takes its place.
    fn send(&mut self) -> io::Result<()> {
        let next = self
            .spare
            .try_recv()
            .unwrap_or_else(|_| Vec::with_capacity(self.capacity));
        let full = std::mem::replace(&mut self.buf, next);
        self.message(Message::Bytes(full))
    }

    fn message(&mut self, m: Message) -> io::Result<()> {
        let sent = self.to_thread.as_ref().is_some_and(|t| t.send(m).is_ok());
        if sent {
            Ok(())
        } else {
            // The thread stopped: at a write error, which is the answer.
            Err(self.stop().err().unwrap_or_else(|| {
                io::Error::new(io::ErrorKind::BrokenPipe, "the writing thread has stopped")
            }))
        }
    }

    /// Stop the thread after what it was given, and say how its writing went.
    fn stop(&mut self) -> io::Result<()> {
        self.to_thread = None;
        match self.thread.take() {
            Some(t) => t
                .join()
                .map_err(|_| io::Error::other("the writing thread panicked"))?,
            None => Ok(()),
        }
    }
}

fn write_all_of(
    sink: &mut dyn Write,
    from_main: &Receiver<Message>,
    give_back: &Sender<Vec<u8>>,
    tell: &Sender<io::Result<()>>,
) -> io::Result<()> {
    for m in from_main {
        match m {
            Message::Bytes(mut b) => {
                sink.write_all(&b)?;
                b.clear();
                let _ = give_back.send(b);
            }
            Message::Flush => {
                let _ = tell.send(sink.flush());
            }
        }
    }
    sink.flush()
}

impl Write for WriteBehind {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buf.extend_from_slice(bytes);
        if self.buf.len() >= self.capacity {
            self.send()?;
        }
        Ok(bytes.len())
    }

    /// Every byte written so far is in the sink, flushed.
    fn flush(&mut self) -> io::Result<()> {
        if !self.buf.is_empty() {
            self.send()?;
        }
        self.message(Message::Flush)?;
        match self.flushed.recv() {
            Ok(result) => result,
            Err(_) => Err(self.stop().err().unwrap_or_else(|| {
                io::Error::new(io::ErrorKind::BrokenPipe, "the writing thread has stopped")
            })),
        }
    }
}

impl Drop for WriteBehind {
    /// Like `BufWriter`, what is buffered is written; an error here has nobody to go to (call
    /// `flush` to hear of it).
    fn drop(&mut self) {
        if !self.buf.is_empty() {
            let _ = self.send();
        }
        let _ = self.stop();
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::{Arc, Mutex};

    /// A sink that keeps what it is given, a few bytes per call, and fails past a limit.
    struct Kept {
        bytes: Arc<Mutex<Vec<u8>>>,
        limit: usize,
    }

    impl Write for Kept {
        fn write(&mut self, b: &[u8]) -> io::Result<usize> {
            let mut kept = self.bytes.lock().unwrap();
            if kept.len() + b.len() > self.limit {
                return Err(io::Error::new(io::ErrorKind::StorageFull, "no space left"));
            }
            let n = b.len().min(7);
            kept.extend_from_slice(&b[..n]);
            Ok(n)
        }
        fn flush(&mut self) -> io::Result<()> {
            Ok(())
        }
    }

    fn sink(limit: usize) -> (Box<dyn Write + Send>, Arc<Mutex<Vec<u8>>>) {
        let bytes = Arc::new(Mutex::new(Vec::new()));
        let kept = Kept {
            bytes: bytes.clone(),
            limit,
        };
        (Box::new(kept), bytes)
    }

    #[test]
    fn every_byte_arrives_in_order_at_a_flush_and_at_a_drop() {
        let expected: Vec<u8> = (0..100_000u32).flat_map(|n| n.to_le_bytes()).collect();
        for capacity in [1, 10, 4096, 1 << 20] {
            let (s, bytes) = sink(usize::MAX);
            let mut w = WriteBehind::new(s, capacity);
            for chunk in expected.chunks(13) {
                w.write_all(chunk).unwrap();
            }
            w.flush().unwrap();
            assert!(*bytes.lock().unwrap() == expected, "capacity {capacity}");
            w.write_all(b"tail").unwrap();
            drop(w);
            assert!(
                bytes.lock().unwrap().ends_with(b"tail"),
                "capacity {capacity}"
            );
        }
    }

    #[test]
    fn a_write_error_is_reported() {
        let (s, _) = sink(1000);
        let mut w = WriteBehind::new(s, 64);
        let mut failed = None;
        for _ in 0..100 {
            if let Err(e) = w.write_all(&[b'x'; 50]) {
                failed = Some(e);
                break;
            }
        }
        let e = failed.or_else(|| w.flush().err()).expect("an error");
        assert_eq!(e.kind(), io::ErrorKind::StorageFull, "{e}");
        // And again, not a panic, on a later write.
        assert!(w.write_all(&[b'x'; 100]).and_then(|()| w.flush()).is_err());
    }
}

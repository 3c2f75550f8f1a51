//! Terminal input, read on a thread of its own and handed to the event loop through a bounded
//! channel, so the loop never blocks on the terminal and always learns of new input by its own
//! waker. The thread reads the terminal itself and decodes the bytes ([`super::decode`]): it
//! reads until the terminal has nothing more, so no typed text is left waiting, and a terminal
//! that hangs up (the window closed, the SSH connection dropped) ends the input, and with it the
//! app. crossterm's own reader does neither: it spins on a hung-up terminal and can leave the
//! rest of a burst of input unread until the next key. Resizes come from SIGWINCH.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use crossterm::event::Event;
use futures_util::Stream;
use tokio::sync::mpsc;

/// Events read ahead of the loop; the reader waits when the loop is this far behind.
const QUEUE: usize = 1024;

enum Input {
    Event(io::Result<Event>),
    /// The terminal hung up: nothing more will come.
    HungUp,
}

/// Terminal events as a stream that ends when the terminal goes away.
pub struct InputStream {
    rx: mpsc::Receiver<Input>,
    ended: bool,
    #[cfg(unix)]
    resized: Option<tokio::signal::unix::Signal>,
}

impl Stream for InputStream {
    type Item = io::Result<Event>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        if self.ended {
            return Poll::Ready(None);
        }
        #[cfg(unix)]
        if let Some(resized) = &mut self.resized
            && resized.poll_recv(cx).is_ready()
        {
            let size = crossterm::terminal::size().map(|(w, h)| Event::Resize(w, h));
            return Poll::Ready(Some(size));
        }
        match self.rx.poll_recv(cx) {
            Poll::Ready(Some(Input::Event(event))) => Poll::Ready(Some(event)),
            Poll::Ready(Some(Input::HungUp) | None) => {
                self.ended = true;
                Poll::Ready(None)
            }
            Poll::Pending => Poll::Pending,
        }
    }
}

#[cfg(unix)]
pub use unix::{from_fd, terminal};

#[cfg(unix)]
mod unix {
    use std::fs::File;
    use std::io;
    use std::os::fd::{AsFd, OwnedFd};
    use std::time::Duration;

    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    use rustix::io::Errno;
    use tokio::signal::unix::{SignalKind, signal};
    use tokio::sync::mpsc;

    use super::super::decode::Decoder;
    use super::{Input, InputStream, QUEUE};

    /// How long the rest of an escape sequence may take to arrive before what came is taken as
    /// it stands (a lone `ESC` is then the Esc key).
    const ESCAPE_WAIT: Duration = Duration::from_millis(30);

    /// The terminal: standard input when it is one, else `/dev/tty`.
    fn tty() -> io::Result<OwnedFd> {
        let stdin = io::stdin();
        if rustix::termios::isatty(stdin.as_fd()) {
            Ok(stdin.as_fd().try_clone_to_owned()?)
        } else {
            Ok(File::open("/dev/tty")?.into())
        }
    }

    /// The real terminal's keys, pastes and resizes, ending when it hangs up.
    pub fn terminal() -> io::Result<InputStream> {
        let mut stream = from_fd(tty()?)?;
        stream.resized = Some(signal(SignalKind::window_change())?);
        Ok(stream)
    }

    /// Keys and pastes read from `fd` (a terminal, or a pipe in benchmarks) on a thread of
    /// its own, until it ends or fails or the stream is dropped.
    pub fn from_fd(fd: OwnedFd) -> io::Result<InputStream> {
        let (tx, rx) = mpsc::channel(QUEUE);
        std::thread::Builder::new()
            .name("terminal-input".into())
            .spawn(move || read(&fd, &tx))?;
        Ok(InputStream {
            rx,
            ended: false,
            resized: None,
        })
    }

    /// Reads and decodes until the terminal hangs up, reading fails, or nobody listens.
    fn read(fd: &OwnedFd, tx: &mpsc::Sender<Input>) {
        let mut decoder = Decoder::default();
        let mut buf = [0u8; 4096];
        let wait = Timespec::try_from(ESCAPE_WAIT).expect("a short time");
        let send = |events: Vec<crossterm::event::Event>| {
            events
                .into_iter()
                .all(|event| tx.blocking_send(Input::Event(Ok(event))).is_ok())
        };
        loop {
            let timeout = decoder.is_waiting().then_some(&wait);
            let mut fds = [PollFd::new(fd, PollFlags::IN)];
            match poll(&mut fds, timeout) {
                Ok(0) => {
                    if !send(decoder.flush()) {
                        return;
                    }
                    continue;
                }
                Ok(_) | Err(Errno::INTR) => {}
                Err(e) => return fail(tx, e.into()),
            }
            match rustix::io::read(fd, &mut buf) {
                // End of file, or EIO: the terminal is gone.
                Ok(0) | Err(Errno::IO) => {
                    tracing::info!("the terminal hung up");
                    let _ = tx.blocking_send(Input::HungUp);
                    return;
                }
                Ok(n) => {
                    if !send(decoder.feed(&buf[..n], n == buf.len())) {
                        return;
                    }
                }
                Err(Errno::INTR | Errno::AGAIN) => {}
                Err(e) => return fail(tx, e.into()),
            }
        }
    }

    fn fail(tx: &mpsc::Sender<Input>, error: io::Error) {
        tracing::error!("cannot read the terminal: {error}");
        let _ = tx.blocking_send(Input::Event(Err(error)));
    }
}

/// Elsewhere crossterm reads the terminal, on a thread of its own.
#[cfg(not(unix))]
pub fn terminal() -> io::Result<InputStream> {
    let (tx, rx) = mpsc::channel(QUEUE);
    std::thread::Builder::new()
        .name("terminal-input".into())
        .spawn(move || {
            loop {
                let event = crossterm::event::read();
                let failed = event.is_err();
                if tx.blocking_send(Input::Event(event)).is_err() || failed {
                    return;
                }
            }
        })?;
    Ok(InputStream { rx, ended: false })
}

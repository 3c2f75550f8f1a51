//! A headless terminal: a ratatui backend that keeps the screen in memory where another task
//! or thread can read it while the app runs, and can report the moment a frame first shows
//! something. Tests and benchmarks drive the real app loop with it.

use std::sync::mpsc;
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use ratatui::backend::{Backend, ClearType, TestBackend, WindowSize};
use ratatui::buffer::{Buffer, Cell};
use ratatui::layout::{Position, Size};

use super::wrap::width;

type Check = Box<dyn Fn(&Buffer) -> bool + Send>;

struct Screen {
    backend: TestBackend,
    /// Frames flushed so far.
    frames: u64,
    /// Waiting for a frame that passes the check; told when it is flushed.
    watch: Option<(Check, mpsc::Sender<Instant>)>,
    /// What the app wrote to the terminal beside frames (clipboard requests).
    written: Vec<u8>,
}

/// The in-memory terminal; clones share the screen.
#[derive(Clone)]
pub struct Capture(Arc<Mutex<Screen>>);

/// Escape sequences the app sends the terminal beside frames are kept, for tests to read.
impl std::io::Write for Capture {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.screen().written.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Capture {
    pub fn new(width: u16, height: u16) -> Capture {
        Capture(Arc::new(Mutex::new(Screen {
            backend: TestBackend::new(width, height),
            frames: 0,
            watch: None,
            written: Vec::new(),
        })))
    }

    /// The bytes written to the terminal beside the frames (through [`std::io::Write`]).
    pub fn written(&self) -> Vec<u8> {
        self.screen().written.clone()
    }

    fn screen(&self) -> MutexGuard<'_, Screen> {
        self.0.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn buffer(&self) -> Buffer {
        self.screen().backend.buffer().clone()
    }

    /// The screen's text, a row per line; a wide grapheme is read once.
    pub fn text(&self) -> String {
        rows(&self.buffer()).join("\n")
    }

    /// How many frames have been drawn.
    pub fn frames(&self) -> u64 {
        self.screen().frames
    }

    /// Reports the time of the first flushed frame that passes `check`.
    pub fn watch(
        &self,
        check: impl Fn(&Buffer) -> bool + Send + 'static,
    ) -> mpsc::Receiver<Instant> {
        let (tx, rx) = mpsc::channel();
        self.screen().watch = Some((Box::new(check), tx));
        rx
    }
}

/// Each row's text, reading a wide grapheme once (the cells it covers are skipped).
pub fn rows(buf: &Buffer) -> Vec<String> {
    (0..buf.area.height)
        .map(|y| {
            let mut row = String::new();
            let mut x = 0;
            while x < buf.area.width {
                let symbol = buf[(x, y)].symbol();
                row.push_str(symbol);
                x += width(symbol).max(1) as u16;
            }
            row.trim_end().to_owned()
        })
        .collect()
}

impl Backend for Capture {
    type Error = core::convert::Infallible;

    /// Draws as a terminal does: a wide character covers the cell to its right, and writing
    /// into either half of one erases the whole of it.
    fn draw<'a, I: Iterator<Item = (u16, u16, &'a Cell)>>(
        &mut self,
        content: I,
    ) -> Result<(), Self::Error> {
        let mut screen = self.screen();
        let blank = Cell::default();
        for (x, y, cell) in content {
            let buf = screen.backend.buffer();
            let right_half = x > 0 && width(buf[(x - 1, y)].symbol()) > 1;
            let covers_next = x + 1 < buf.area.width
                && (width(cell.symbol()) > 1 || width(buf[(x, y)].symbol()) > 1);
            if right_half {
                screen.backend.draw(std::iter::once((x - 1, y, &blank)))?;
            }
            if covers_next {
                screen.backend.draw(std::iter::once((x + 1, y, &blank)))?;
            }
            screen.backend.draw(std::iter::once((x, y, cell)))?;
        }
        Ok(())
    }

    fn hide_cursor(&mut self) -> Result<(), Self::Error> {
        self.screen().backend.hide_cursor()
    }

    fn show_cursor(&mut self) -> Result<(), Self::Error> {
        self.screen().backend.show_cursor()
    }

    fn get_cursor_position(&mut self) -> Result<Position, Self::Error> {
        self.screen().backend.get_cursor_position()
    }

    fn set_cursor_position<P: Into<Position>>(&mut self, position: P) -> Result<(), Self::Error> {
        self.screen().backend.set_cursor_position(position)
    }

    fn clear(&mut self) -> Result<(), Self::Error> {
        self.screen().backend.clear()
    }

    fn clear_region(&mut self, clear_type: ClearType) -> Result<(), Self::Error> {
        self.screen().backend.clear_region(clear_type)
    }

    fn size(&self) -> Result<Size, Self::Error> {
        self.screen().backend.size()
    }

    fn window_size(&mut self) -> Result<WindowSize, Self::Error> {
        self.screen().backend.window_size()
    }

    fn flush(&mut self) -> Result<(), Self::Error> {
        let mut screen = self.screen();
        screen.frames += 1;
        let seen = match &screen.watch {
            Some((check, _)) => check(screen.backend.buffer()),
            None => false,
        };
        if seen && let Some((_, tx)) = screen.watch.take() {
            let _ = tx.send(Instant::now());
        }
        screen.backend.flush()
    }
}

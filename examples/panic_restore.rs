//! Takes the terminal over exactly as the app does (`terminal::Guard`), draws a frame, then
//! panics in a background task: the smoke test checks that the shell gets its terminal back
//! (raw mode off, main screen, cursor shown), that the panic message is readable there, and that
//! the process ends with status 101.

use ratatui::widgets::Paragraph;
use ttvchat::terminal::Guard;

fn main() -> std::io::Result<()> {
    let mut guard = Guard::enter(true)?;
    guard
        .terminal
        .draw(|frame| frame.render_widget(Paragraph::new("about to panic"), frame.area()))?;
    std::thread::sleep(std::time::Duration::from_millis(300));
    let worker = std::thread::spawn(|| panic!("a deliberate panic in a background task"));
    let _ = worker.join();
    std::thread::sleep(std::time::Duration::from_secs(5));
    Ok(())
}

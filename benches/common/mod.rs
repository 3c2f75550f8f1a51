//! What the benchmarks share: a one-thread runtime per side (the simulator, the app), so each
//! side's work is its own thread.

use tokio::runtime::{Builder, Runtime};

/// A one-thread tokio runtime whose thread is named `name`.
pub fn runtime(name: &str) -> Runtime {
    Builder::new_multi_thread()
        .worker_threads(1)
        .thread_name(name)
        .enable_all()
        .build()
        .expect("a tokio runtime")
}

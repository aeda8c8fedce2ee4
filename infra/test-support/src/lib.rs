//! Helpers shared by the test suites (runner and application).

/// HTTP stand-ins for the messaging providers (Twilio, WhatsApp, SendGrid, webhooks).
pub mod providers;
pub use providers::{Providers, Recorded};

/// A minimal Redis client, for tests that read or write a store directly.
pub mod resp;

/// A private redis-server on a free loopback port; killed on drop.
///
/// A real Redis, not a mock: the scale-out configuration runs on it.
pub struct Redis {
    pub port: u16,
    child: std::process::Child,
}

impl Redis {
    pub fn start() -> Redis {
        let port = std::net::TcpListener::bind("127.0.0.1:0").unwrap().local_addr().unwrap().port();
        let child = std::process::Command::new("redis-server")
            .args(["--port", &port.to_string(), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"])
            .stdout(std::process::Stdio::null())
            .spawn()
            .expect("redis-server is not installed: run `make test`, which installs it");
        for _ in 0..100 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return Redis { port, child };
            }
            std::thread::sleep(std::time::Duration::from_millis(50));
        }
        panic!("redis-server did not start on port {port}");
    }

    /// `redis://127.0.0.1:<port>/0`
    pub fn url(&self) -> String {
        format!("redis://127.0.0.1:{}/0", self.port)
    }

    /// Stops the server (to test what happens when Redis goes away).
    pub fn stop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Drop for Redis {
    fn drop(&mut self) {
        self.stop();
    }
}

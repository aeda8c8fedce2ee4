//! Tests reading and writing a Redis store directly, as `redis-cli` would:
//! one blocking connection per call (the `redis` crate's), binary-safe
//! values. A test client, not a mock: the server is the real one.

/// A reply from the server.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reply {
    Status(String),
    Integer(i64),
    Bulk(Option<Vec<u8>>),
    Array(Vec<Reply>),
}

impl Reply {
    /// The bytes of a bulk reply (`None` for a missing key).
    pub fn bytes(self) -> Option<Vec<u8>> {
        match self {
            Reply::Bulk(bytes) => bytes,
            other => panic!("expected a bulk reply, got {other:?}"),
        }
    }

    /// The elements of an array of bulk strings, as text.
    pub fn strings(self) -> Vec<String> {
        match self {
            Reply::Array(items) => items.into_iter().map(|i| String::from_utf8(i.bytes().unwrap_or_default()).unwrap()).collect(),
            other => panic!("expected an array reply, got {other:?}"),
        }
    }
}

/// Runs one command against database `db` of the server on `port`.
/// An error reply panics with the server's message: tests want to know.
pub fn call(port: u16, db: u32, args: &[&[u8]]) -> Reply {
    let client = redis::Client::open(format!("redis://127.0.0.1:{port}/{db}")).expect("a valid Redis URL");
    let mut connection = client.get_connection().unwrap_or_else(|e| panic!("redis on port {port}: {e}"));
    let (name, args) = args.split_first().expect("a command");
    let mut command = redis::cmd(std::str::from_utf8(name).expect("a command name is text"));
    for arg in args {
        command.arg(*arg);
    }
    let value: redis::Value = command.query(&mut connection).unwrap_or_else(|e| panic!("redis error: {e}"));
    reply(value)
}

fn reply(value: redis::Value) -> Reply {
    match value {
        redis::Value::Nil => Reply::Bulk(None),
        redis::Value::Int(n) => Reply::Integer(n),
        redis::Value::BulkString(bytes) => Reply::Bulk(Some(bytes)),
        redis::Value::Array(items) => Reply::Array(items.into_iter().map(reply).collect()),
        redis::Value::SimpleString(status) => Reply::Status(status),
        redis::Value::Okay => Reply::Status("OK".to_string()),
        other => panic!("unexpected redis reply {other:?}"),
    }
}

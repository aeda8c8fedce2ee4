//! Just enough of the Redis protocol (RESP2) for tests to read and write a
//! store directly, as `redis-cli` would: one blocking connection per call,
//! binary-safe values. A test client, not a mock: the server is the real one.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpStream;

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
    let stream = TcpStream::connect(("127.0.0.1", port)).unwrap_or_else(|e| panic!("redis on port {port}: {e}"));
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    if db != 0 {
        writer.write_all(&encode(&[b"SELECT", db.to_string().as_bytes()])).unwrap();
        read(&mut reader);
    }
    writer.write_all(&encode(args)).unwrap();
    read(&mut reader)
}

fn encode(args: &[&[u8]]) -> Vec<u8> {
    let mut out = format!("*{}\r\n", args.len()).into_bytes();
    for arg in args {
        out.extend_from_slice(format!("${}\r\n", arg.len()).as_bytes());
        out.extend_from_slice(arg);
        out.extend_from_slice(b"\r\n");
    }
    out
}

fn read(reader: &mut impl BufRead) -> Reply {
    let mut line = String::new();
    reader.read_line(&mut line).unwrap();
    let line = line.trim_end_matches("\r\n");
    let (kind, rest) = line.split_at(1);
    match kind {
        "+" => Reply::Status(rest.to_string()),
        "-" => panic!("redis error: {rest}"),
        ":" => Reply::Integer(rest.parse().unwrap()),
        "$" => {
            let len: i64 = rest.parse().unwrap();
            if len < 0 {
                return Reply::Bulk(None);
            }
            let mut bytes = vec![0; len as usize + 2];
            reader.read_exact(&mut bytes).unwrap();
            bytes.truncate(len as usize);
            Reply::Bulk(Some(bytes))
        }
        "*" => {
            let len: i64 = rest.parse().unwrap();
            Reply::Array((0..len.max(0)).map(|_| read(reader)).collect())
        }
        other => panic!("unexpected redis reply {other}{rest}"),
    }
}

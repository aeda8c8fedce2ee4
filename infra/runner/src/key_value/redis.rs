//! Key-value on Redis (or Valkey), for scale-out: every replica sees one store.
//!
//! As in Spin, the label is not part of the key: give each label its own
//! database number (`redis://host/1`) or use key prefixes. Counters are
//! Redis integers (INCRBY), so a key used with `increment` must never be
//! written with `set` (Spin's rule too).

use async_trait::async_trait;
use redis::aio::ConnectionManager;
use redis::AsyncCommands;

use super::{CompareAndSwap, KvError, Store, SwapError};

pub struct RedisStore {
    conn: ConnectionManager,
}

impl RedisStore {
    pub async fn connect(url: &str) -> anyhow::Result<Self> {
        let client = redis::Client::open(url)?;
        let conn = ConnectionManager::new(client)
            .await
            .map_err(|e| anyhow::anyhow!("cannot connect to Redis at {url}: {e}"))?;
        Ok(Self { conn })
    }
}

#[async_trait]
impl Store for RedisStore {
    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, KvError> {
        self.conn.clone().get(key).await.map_err(KvError::other)
    }

    async fn set(&self, key: &str, value: &[u8]) -> Result<(), KvError> {
        self.conn.clone().set(key, value).await.map_err(KvError::other)
    }

    async fn delete(&self, key: &str) -> Result<(), KvError> {
        self.conn.clone().del(key).await.map_err(KvError::other)
    }

    async fn exists(&self, key: &str) -> Result<bool, KvError> {
        self.conn.clone().exists(key).await.map_err(KvError::other)
    }

    async fn get_keys(&self) -> Result<Vec<String>, KvError> {
        self.conn.clone().keys("*").await.map_err(KvError::other)
    }

    async fn get_many(&self, keys: Vec<String>) -> Result<Vec<(String, Option<Vec<u8>>)>, KvError> {
        if keys.is_empty() {
            return Ok(Vec::new());
        }
        let values: Vec<Option<Vec<u8>>> = redis::cmd("MGET")
            .arg(&keys)
            .query_async(&mut self.conn.clone())
            .await
            .map_err(KvError::other)?;
        Ok(keys.into_iter().zip(values).collect())
    }

    async fn set_many(&self, key_values: Vec<(String, Vec<u8>)>) -> Result<(), KvError> {
        if key_values.is_empty() {
            return Ok(());
        }
        self.conn.clone().mset(&key_values).await.map_err(KvError::other)
    }

    async fn delete_many(&self, keys: Vec<String>) -> Result<(), KvError> {
        if keys.is_empty() {
            return Ok(());
        }
        self.conn.clone().del(keys).await.map_err(KvError::other)
    }

    async fn increment(&self, key: &str, delta: i64) -> Result<i64, KvError> {
        self.conn.clone().incr(key, delta).await.map_err(KvError::other)
    }

    async fn new_compare_and_swap(&self, key: &str) -> Result<Box<dyn CompareAndSwap>, KvError> {
        Ok(Box::new(RedisCas { conn: self.conn.clone(), key: key.to_string(), expected: None }))
    }
}

/// Compare-and-swap as one Lua script, so it is atomic on the server.
const CAS_SCRIPT: &str = r#"
local current = redis.call('GET', KEYS[1])
if ARGV[1] == '1' then
  if current ~= false then return 0 end
else
  if current ~= ARGV[2] then return 0 end
end
redis.call('SET', KEYS[1], ARGV[3])
return 1
"#;

struct RedisCas {
    conn: ConnectionManager,
    key: String,
    expected: Option<Option<Vec<u8>>>,
}

#[async_trait]
impl CompareAndSwap for RedisCas {
    async fn current(&mut self) -> Result<Option<Vec<u8>>, KvError> {
        let value: Option<Vec<u8>> = self.conn.get(&self.key).await.map_err(KvError::other)?;
        self.expected = Some(value.clone());
        Ok(value)
    }

    async fn swap(&mut self, value: Vec<u8>) -> Result<(), SwapError> {
        let expected = match self.expected.clone() {
            Some(expected) => expected,
            None => self.current().await.map_err(SwapError::Store)?,
        };
        let (was_absent, old) = match expected {
            None => ("1", Vec::new()),
            Some(old) => ("0", old),
        };
        let swapped: i64 = redis::Script::new(CAS_SCRIPT)
            .key(&self.key)
            .arg(was_absent)
            .arg(old)
            .arg(value)
            .invoke_async(&mut self.conn)
            .await
            .map_err(|e| SwapError::Store(KvError::other(e)))?;
        if swapped == 1 {
            Ok(())
        } else {
            Err(SwapError::CasFailed)
        }
    }
}

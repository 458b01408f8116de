use std::path::PathBuf;

use super::{ObjectStore, StorageError, check_key};

/// Files in one directory, written atomically (temporary file, then rename).
#[derive(Debug, Clone)]
pub struct LocalDirectory {
    root: PathBuf,
}

impl LocalDirectory {
    pub fn new(root: impl Into<PathBuf>) -> Self {
        Self { root: root.into() }
    }
}

#[async_trait::async_trait]
impl ObjectStore for LocalDirectory {
    async fn put(&self, key: &str, bytes: &[u8], _content_type: &str) -> Result<(), StorageError> {
        check_key(key)?;
        tokio::fs::create_dir_all(&self.root).await?;
        let tmp = self
            .root
            .join(format!(".{key}.{}", uuid::Uuid::new_v4().simple()));
        tokio::fs::write(&tmp, bytes).await?;
        tokio::fs::rename(&tmp, self.root.join(key)).await?;
        Ok(())
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StorageError> {
        check_key(key)?;
        match tokio::fs::read(self.root.join(key)).await {
            Ok(bytes) => Ok(Some(bytes)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    async fn delete(&self, key: &str) -> Result<(), StorageError> {
        check_key(key)?;
        match tokio::fs::remove_file(self.root.join(key)).await {
            Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(e.into()),
            _ => Ok(()),
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[tokio::test]
    async fn stores_reads_and_deletes_and_refuses_paths() {
        let dir = std::env::temp_dir().join(format!("rxgate-store-{}", uuid::Uuid::new_v4()));
        let store = LocalDirectory::new(&dir);
        store.put("a.png", b"png", "image/png").await.unwrap();
        assert_eq!(store.get("a.png").await.unwrap().unwrap(), b"png");
        store.delete("a.png").await.unwrap();
        assert!(store.get("a.png").await.unwrap().is_none());
        for bad in ["../etc/passwd", "", ".hidden", "a/b", "a\\b"] {
            assert!(store.put(bad, b"x", "image/png").await.is_err(), "{bad}");
        }
        std::fs::remove_dir_all(dir).unwrap();
    }
}

//! Where photos and generated files live: a folder on local disk by default, memory in tests.
//! Keys are content hashes or job ids chosen by `hadir-app`, never personal data.

use object_store::{ObjectStore, ObjectStoreExt, PutPayload, local::LocalFileSystem, memory::InMemory, path::Path};
use std::sync::Arc;

#[derive(Clone)]
pub struct Objects {
    store: Arc<dyn ObjectStore>,
    description: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ObjectsError {
    #[error(
        "object store {0:?} is not supported by this build: use a folder path or memory:// (S3 support is not built yet)"
    )]
    Unsupported(String),
    #[error("cannot use object store folder {path}: {source}")]
    Folder {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("object store: {0}")]
    Store(#[from] object_store::Error),
}

impl Objects {
    /// Opens the store named by `spec`: `memory://`, or a folder path (created if missing).
    pub fn open(spec: &str) -> Result<Objects, ObjectsError> {
        if spec == "memory://" {
            return Ok(Objects { store: Arc::new(InMemory::new()), description: spec.into() });
        }
        if spec.contains("://") {
            return Err(ObjectsError::Unsupported(spec.into()));
        }
        let folder = |source| ObjectsError::Folder { path: spec.into(), source };
        std::fs::create_dir_all(spec).map_err(folder)?;
        let store = LocalFileSystem::new_with_prefix(spec)
            .map_err(|e| ObjectsError::Folder { path: spec.into(), source: std::io::Error::other(e.to_string()) })?;
        Ok(Objects { store: Arc::new(store), description: format!("folder {spec}") })
    }

    pub fn description(&self) -> &str {
        &self.description
    }

    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), ObjectsError> {
        self.store.put(&Path::from(key), PutPayload::from(bytes)).await?;
        Ok(())
    }

    pub async fn get(&self, key: &str) -> Result<Vec<u8>, ObjectsError> {
        let result = self.store.get(&Path::from(key)).await?;
        Ok(result.bytes().await?.to_vec())
    }

    /// The object, or `None` when there is none under this key.
    pub async fn get_if_exists(&self, key: &str) -> Result<Option<Vec<u8>>, ObjectsError> {
        match self.store.get(&Path::from(key)).await {
            Ok(result) => Ok(Some(result.bytes().await?.to_vec())),
            Err(object_store::Error::NotFound { .. }) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    pub async fn delete(&self, key: &str) -> Result<(), ObjectsError> {
        self.store.delete(&Path::from(key)).await?;
        Ok(())
    }

    /// Writes, reads back and deletes a probe object: proves the store is usable.
    pub async fn probe(&self) -> Result<(), ObjectsError> {
        let key = "health/probe";
        self.put(key, b"ok".to_vec()).await?;
        let back = self.get(key).await?;
        self.delete(key).await?;
        if back == b"ok" {
            Ok(())
        } else {
            Err(ObjectsError::Store(object_store::Error::Generic {
                store: "probe",
                source: "read back different bytes".into(),
            }))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn folder_store_round_trip() {
        let dir = std::env::temp_dir().join(format!("hadir-objects-{}", uuid::Uuid::new_v4()));
        let objects = Objects::open(dir.to_str().unwrap()).unwrap();
        objects.put("photos/ab/abcdef", vec![1, 2, 3]).await.unwrap();
        assert_eq!(objects.get("photos/ab/abcdef").await.unwrap(), vec![1, 2, 3]);
        objects.probe().await.unwrap();
        objects.delete("photos/ab/abcdef").await.unwrap();
        assert!(objects.get("photos/ab/abcdef").await.is_err());
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn unknown_schemes_are_named() {
        let err = Objects::open("s3://bucket").err().unwrap();
        assert!(err.to_string().contains("s3://bucket"));
    }
}

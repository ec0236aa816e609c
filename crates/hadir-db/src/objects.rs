//! Where photos and generated files live: a folder on local disk by default, an S3-compatible
//! bucket at scale, memory in tests. Keys are content hashes or job ids chosen by `hadir-app`,
//! never personal data.

use object_store::aws::AmazonS3Builder;
use object_store::prefix::PrefixStore;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload, local::LocalFileSystem, memory::InMemory, path::Path};
use std::sync::Arc;

#[derive(Clone)]
pub struct Objects {
    store: Arc<dyn ObjectStore>,
    /// Shared, not owned: every request clones the application state, this with it.
    description: Arc<str>,
}

#[derive(Debug, thiserror::Error)]
pub enum ObjectsError {
    #[error("object store {0:?} is not supported: use a folder path, s3://bucket[/prefix] or memory://")]
    Unsupported(String),
    #[error(
        "cannot use S3 bucket {spec}: {source} (credentials and endpoint come from AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_REGION, AWS_ENDPOINT, AWS_ALLOW_HTTP)"
    )]
    Bucket {
        spec: String,
        #[source]
        source: object_store::Error,
    },
    #[error("cannot use object store folder {path}: {source}")]
    Folder {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("object store: {0}")]
    Store(#[from] object_store::Error),
    #[error("object store {store} is not usable: {source}")]
    Unusable {
        store: String,
        #[source]
        source: Box<ObjectsError>,
    },
}

impl Objects {
    /// Opens the store named by `spec`: `memory://`, `s3://bucket` or `s3://bucket/prefix`
    /// (an S3-compatible service configured by the usual `AWS_*` environment variables), or a
    /// folder path (created if missing).
    pub fn open(spec: &str) -> Result<Objects, ObjectsError> {
        if spec == "memory://" {
            return Ok(Objects { store: Arc::new(InMemory::new()), description: spec.into() });
        }
        if let Some(rest) = spec.strip_prefix("s3://") {
            return Self::open_s3(spec, rest);
        }
        if spec.contains("://") {
            return Err(ObjectsError::Unsupported(spec.into()));
        }
        let folder = |source| ObjectsError::Folder { path: spec.into(), source };
        std::fs::create_dir_all(spec).map_err(folder)?;
        let store = LocalFileSystem::new_with_prefix(spec)
            .map_err(|e| ObjectsError::Folder { path: spec.into(), source: std::io::Error::other(e.to_string()) })?;
        Ok(Objects { store: Arc::new(store), description: format!("folder {spec}").into() })
    }

    /// Several deployments (or test runs) may share a bucket: everything after the bucket name
    /// is a key prefix.
    fn open_s3(spec: &str, rest: &str) -> Result<Objects, ObjectsError> {
        let (bucket, prefix) = rest.split_once('/').unwrap_or((rest, ""));
        let bucket_error = |source| ObjectsError::Bucket { spec: spec.into(), source };
        let s3 = AmazonS3Builder::from_env().with_bucket_name(bucket).build().map_err(bucket_error)?;
        let prefix = prefix.trim_matches('/');
        let store: Arc<dyn ObjectStore> =
            if prefix.is_empty() { Arc::new(s3) } else { Arc::new(PrefixStore::new(s3, prefix)) };
        Ok(Objects { store, description: format!("S3 bucket {bucket}").into() })
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

    /// Writes, reads back and deletes a probe object: proves the store is usable. Its own key,
    /// so processes starting together do not delete each other's probe.
    pub async fn probe(&self) -> Result<(), ObjectsError> {
        let key = format!("health/probe-{}", uuid::Uuid::new_v4().simple());
        let round_trip = async {
            self.put(&key, b"ok".to_vec()).await?;
            let back = self.get(&key).await?;
            self.delete(&key).await?;
            if back == b"ok" {
                Ok(())
            } else {
                Err(ObjectsError::Store(object_store::Error::Generic {
                    store: "probe",
                    source: "read back different bytes".into(),
                }))
            }
        };
        round_trip
            .await
            .map_err(|source| ObjectsError::Unusable { store: self.description.to_string(), source: Box::new(source) })
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
        let err = Objects::open("ftp://host/photos").err().unwrap();
        assert!(err.to_string().contains("ftp://host/photos"));
    }

    /// Against a real S3-compatible server when the test run names one (CI starts one).
    #[tokio::test]
    async fn s3_round_trip_under_a_prefix() {
        let Some(bucket) = crate::testing::s3_store() else { return };
        let objects = Objects::open(&bucket).unwrap();
        assert!(objects.description().starts_with("S3 bucket"));
        objects.probe().await.unwrap();
        objects.put("photos/ab/abcdef", vec![1, 2, 3]).await.unwrap();
        assert_eq!(objects.get_if_exists("photos/ab/abcdef").await.unwrap(), Some(vec![1, 2, 3]));
        objects.delete("photos/ab/abcdef").await.unwrap();
        assert_eq!(objects.get_if_exists("photos/ab/abcdef").await.unwrap(), None);
    }
}

//! Where photos and generated files live: a folder on local disk by default, an S3-compatible
//! bucket at scale, memory in tests. Keys are content hashes or job ids chosen by `hadir-app`,
//! never personal data.

use object_store::aws::AmazonS3Builder;
use object_store::prefix::PrefixStore;
use object_store::{ObjectStore, ObjectStoreExt, PutPayload, local::LocalFileSystem, memory::InMemory, path::Path};
use std::sync::Arc;

/// How many writes a folder store runs at once: 2 cost throughput, 8 brought the slow start
/// of a surge back (docs/PERFORMANCE.md, twenty-first session).
const FOLDER_WRITERS: usize = 4;

#[derive(Clone)]
pub struct Objects {
    store: Arc<dyn ObjectStore>,
    /// Set when the store is a folder on local disk.
    folder: Option<Folder>,
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

/// A folder on local disk, the one kind of store with folders to make, and whose writes each
/// take a thread of their own: a surge's hundreds at once would crowd out the threads that
/// serve requests, for no more throughput from one disk, so they take turns.
#[derive(Clone)]
struct Folder {
    files: Arc<LocalFileSystem>,
    writers: Arc<tokio::sync::Semaphore>,
}

impl Objects {
    /// Opens the store named by `spec`: `memory://`, `s3://bucket` or `s3://bucket/prefix`
    /// (an S3-compatible service configured by the usual `AWS_*` environment variables), or a
    /// folder path (created if missing).
    pub fn open(spec: &str) -> Result<Objects, ObjectsError> {
        if spec == "memory://" {
            return Ok(Objects { store: Arc::new(InMemory::new()), folder: None, description: spec.into() });
        }
        if let Some(rest) = spec.strip_prefix("s3://") {
            return Self::open_s3(spec, rest);
        }
        if spec.contains("://") {
            return Err(ObjectsError::Unsupported(spec.into()));
        }
        let unusable = |source| ObjectsError::Folder { path: spec.into(), source };
        std::fs::create_dir_all(spec).map_err(unusable)?;
        let files =
            LocalFileSystem::new_with_prefix(spec).map_err(|e| unusable(std::io::Error::other(e.to_string())))?;
        let folder = Folder { files: Arc::new(files), writers: Arc::new(tokio::sync::Semaphore::new(FOLDER_WRITERS)) };
        Ok(Objects { store: folder.files.clone(), folder: Some(folder), description: format!("folder {spec}").into() })
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
        Ok(Objects { store, folder: None, description: format!("S3 bucket {bucket}").into() })
    }

    pub fn description(&self) -> &str {
        &self.description
    }

    pub async fn put(&self, key: &str, bytes: Vec<u8>) -> Result<(), ObjectsError> {
        let _turn = match &self.folder {
            Some(folder) => folder.writers.acquire().await.ok(),
            None => None,
        };
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

    /// Makes the folders that these key prefixes name, when the store is a folder on disk (a
    /// bucket or memory has none to make). A put makes its folder itself when missing, but a
    /// new institution's first surge would then create hundreds of folders on the disk within
    /// the same quarter second, every check-in waiting on it (docs/PERFORMANCE.md).
    pub async fn make_folders(&self, prefixes: &[String]) -> Result<(), ObjectsError> {
        let Some(folder) = &self.folder else { return Ok(()) };
        let paths = prefixes
            .iter()
            .map(|prefix| folder.files.path_to_filesystem(&Path::from(prefix.as_str())))
            .collect::<Result<Vec<_>, _>>()?;
        let made = tokio::task::spawn_blocking(move || {
            paths.into_iter().try_for_each(|path| {
                std::fs::create_dir_all(&path)
                    .map_err(|source| ObjectsError::Folder { path: path.display().to_string(), source })
            })
        });
        made.await.map_err(|e| object_store::Error::Generic { store: "folder", source: e.into() })?
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

    #[tokio::test]
    async fn folders_are_made_where_the_store_has_folders() {
        let dir = std::env::temp_dir().join(format!("hadir-objects-{}", uuid::Uuid::new_v4()));
        let objects = Objects::open(dir.to_str().unwrap()).unwrap();
        objects.make_folders(&["photos/i/00".into(), "thumbs/i/ff".into()]).await.unwrap();
        assert!(dir.join("photos/i/00").is_dir() && dir.join("thumbs/i/ff").is_dir());
        // Made again, or already there: nothing to do, no error.
        objects.make_folders(&["photos/i/00".into()]).await.unwrap();
        std::fs::remove_dir_all(dir).unwrap();

        let memory = Objects::open("memory://").unwrap();
        memory.make_folders(&["photos/i/00".into()]).await.unwrap();
    }

    /// Writes take turns, and a failed one gives its turn back.
    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn many_writes_at_once_all_land_on_a_folder_store() {
        let dir = std::env::temp_dir().join(format!("hadir-objects-{}", uuid::Uuid::new_v4()));
        let objects = Objects::open(dir.to_str().unwrap()).unwrap();
        objects.put("blocked", vec![0]).await.unwrap();
        let writes: Vec<_> = (0..20 * FOLDER_WRITERS)
            .map(|n| {
                let objects = objects.clone();
                tokio::spawn(async move {
                    let failing = objects.put(&format!("blocked/{n}"), vec![1]).await;
                    let landing = objects.put(&format!("photos/{:02x}/{n}", n % 7), vec![n as u8]).await;
                    (failing.is_err(), landing.is_ok())
                })
            })
            .collect();
        for write in writes {
            assert_eq!(write.await.unwrap(), (true, true));
        }
        assert_eq!(objects.get("photos/03/10").await.unwrap(), vec![10]);
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[tokio::test]
    async fn a_folder_that_cannot_be_made_is_an_error() {
        let dir = std::env::temp_dir().join(format!("hadir-objects-{}", uuid::Uuid::new_v4()));
        let objects = Objects::open(dir.to_str().unwrap()).unwrap();
        objects.put("photos/i", vec![1]).await.unwrap();
        let err = objects.make_folders(&["photos/i/00".into()]).await.err().unwrap();
        assert!(err.to_string().contains(dir.to_str().unwrap()), "{err}");
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

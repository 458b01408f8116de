//! An S3-compatible bucket (Amazon S3, Cloudflare R2, MinIO, Ceph …) over its REST API, signed
//! with AWS Signature Version 4. Only three calls are needed (PutObject, GetObject,
//! DeleteObject), so the client is written here rather than pulling in an SDK.
//!
//! Reference: <https://docs.aws.amazon.com/AmazonS3/latest/API/sig-v4-header-based-auth.html>.

use chrono::{DateTime, Utc};
use hmac::{Hmac, Mac};
use reqwest::{Method, StatusCode, Url};
use secrecy::{ExposeSecret, SecretString};
use sha2::{Digest, Sha256};

use super::{ObjectStore, StorageError, check_key};

/// Where the bucket is and how to sign for it.
#[derive(Debug, Clone)]
pub struct S3Config {
    /// The service's base URL, e.g. `https://s3.af-south-1.amazonaws.com` or
    /// `http://127.0.0.1:9000` (MinIO).
    pub endpoint: Url,
    pub bucket: String,
    /// The signing region, e.g. `af-south-1` (`auto` for R2, `us-east-1` for MinIO).
    pub region: String,
    pub access_key_id: String,
    pub secret_access_key: SecretString,
    /// `https://host/bucket/key` when true (MinIO, most compatibles), else
    /// `https://bucket.host/key` (Amazon's virtual-hosted style).
    pub path_style: bool,
    /// A prefix for every key, e.g. `uploads/` (may be empty).
    pub prefix: String,
}

/// A bucket of an S3-compatible service.
#[derive(Debug, Clone)]
pub struct S3Bucket {
    config: S3Config,
    http: reqwest::Client,
}

impl S3Bucket {
    pub fn new(config: S3Config) -> Result<Self, StorageError> {
        let http = reqwest::Client::builder()
            .timeout(std::time::Duration::from_secs(30))
            .build()
            .map_err(|e| StorageError::Remote(e.to_string()))?;
        Ok(Self { config, http })
    }

    /// The object's URL. Keys are checked to be one segment of `[A-Za-z0-9._-]`, so they need
    /// no percent-encoding.
    fn url(&self, key: &str) -> Result<Url, StorageError> {
        let c = &self.config;
        let object = format!("{}{key}", c.prefix);
        let mut url = c.endpoint.clone();
        if c.path_style {
            let base = url.path().trim_end_matches('/').to_owned();
            url.set_path(&format!("{base}/{}/{object}", c.bucket));
        } else {
            let host = url
                .host_str()
                .ok_or_else(|| StorageError::Remote("the S3 endpoint has no host".into()))?;
            let host = format!("{}.{host}", c.bucket);
            url.set_host(Some(&host))
                .map_err(|e| StorageError::Remote(e.to_string()))?;
            url.set_path(&format!("/{object}"));
        }
        Ok(url)
    }

    async fn send(
        &self,
        method: Method,
        key: &str,
        body: Vec<u8>,
        content_type: Option<&str>,
    ) -> Result<reqwest::Response, StorageError> {
        check_key(key)?;
        let url = self.url(key)?;
        let payload_hash = hex::encode(Sha256::digest(&body));
        let host = match url.port() {
            Some(port) => format!("{}:{port}", url.host_str().unwrap_or_default()),
            None => url.host_str().unwrap_or_default().to_owned(),
        };
        let now = Utc::now();
        let amz_date = now.format("%Y%m%dT%H%M%SZ").to_string();
        let headers = [
            ("host", host.as_str()),
            ("x-amz-content-sha256", payload_hash.as_str()),
            ("x-amz-date", amz_date.as_str()),
        ];
        let authorization = authorization(
            &Signing {
                access_key_id: &self.config.access_key_id,
                secret_access_key: self.config.secret_access_key.expose_secret(),
                region: &self.config.region,
                at: now,
            },
            method.as_str(),
            url.path(),
            &headers,
            &payload_hash,
        );
        let mut request = self
            .http
            .request(method, url)
            .header("x-amz-content-sha256", &payload_hash)
            .header("x-amz-date", &amz_date)
            .header("authorization", authorization);
        if let Some(content_type) = content_type {
            request = request.header("content-type", content_type);
        }
        request
            .body(body)
            .send()
            .await
            .map_err(|e| StorageError::Remote(e.without_url().to_string()))
    }
}

/// What S3 said when it refused: its error code, never the body as a whole.
async fn refused(operation: &str, res: reqwest::Response) -> StorageError {
    let status = res.status();
    let body = res.text().await.unwrap_or_default();
    let code = body
        .split_once("<Code>")
        .and_then(|(_, rest)| rest.split_once("</Code>"))
        .map_or("", |(code, _)| code);
    StorageError::Remote(format!("{operation}: HTTP {status} {code}"))
}

#[async_trait::async_trait]
impl ObjectStore for S3Bucket {
    async fn put(&self, key: &str, bytes: &[u8], content_type: &str) -> Result<(), StorageError> {
        let res = self
            .send(Method::PUT, key, bytes.to_vec(), Some(content_type))
            .await?;
        if res.status().is_success() {
            Ok(())
        } else {
            Err(refused("PutObject", res).await)
        }
    }

    async fn get(&self, key: &str) -> Result<Option<Vec<u8>>, StorageError> {
        let res = self.send(Method::GET, key, Vec::new(), None).await?;
        match res.status() {
            StatusCode::NOT_FOUND => Ok(None),
            s if s.is_success() => res
                .bytes()
                .await
                .map(|b| Some(b.to_vec()))
                .map_err(|e| StorageError::Remote(e.without_url().to_string())),
            _ => Err(refused("GetObject", res).await),
        }
    }

    async fn delete(&self, key: &str) -> Result<(), StorageError> {
        let res = self.send(Method::DELETE, key, Vec::new(), None).await?;
        // Deleting what is not there is not an error (S3 itself answers 204).
        if res.status().is_success() || res.status() == StatusCode::NOT_FOUND {
            Ok(())
        } else {
            Err(refused("DeleteObject", res).await)
        }
    }
}

/// Who signs, where, and when.
struct Signing<'a> {
    access_key_id: &'a str,
    secret_access_key: &'a str,
    region: &'a str,
    at: DateTime<Utc>,
}

fn hmac(key: &[u8], data: &str) -> Vec<u8> {
    // HMAC takes keys of any length.
    let mut mac = Hmac::<Sha256>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    mac.update(data.as_bytes());
    mac.finalize().into_bytes().to_vec()
}

/// The canonical request of SigV4 for a request without a query string. `headers` are the
/// signed headers, lower-case names, sorted by name.
fn canonical_request(
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    payload_hash: &str,
) -> String {
    let canonical_headers: String = headers
        .iter()
        .map(|(name, value)| format!("{name}:{}\n", value.trim()))
        .collect();
    let signed: Vec<&str> = headers.iter().map(|(name, _)| *name).collect();
    format!(
        "{method}\n{path}\n\n{canonical_headers}\n{}\n{payload_hash}",
        signed.join(";")
    )
}

/// The `Authorization` header value for a request signed with `headers`.
fn authorization(
    s: &Signing<'_>,
    method: &str,
    path: &str,
    headers: &[(&str, &str)],
    payload_hash: &str,
) -> String {
    let date = s.at.format("%Y%m%d").to_string();
    let amz_date = s.at.format("%Y%m%dT%H%M%SZ").to_string();
    let scope = format!("{date}/{}/s3/aws4_request", s.region);
    let request = canonical_request(method, path, headers, payload_hash);
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex::encode(Sha256::digest(request.as_bytes()))
    );
    let key = [s.region, "s3", "aws4_request"].iter().fold(
        hmac(format!("AWS4{}", s.secret_access_key).as_bytes(), &date),
        |key, part| hmac(&key, part),
    );
    let signature = hex::encode(hmac(&key, &string_to_sign));
    let signed: Vec<&str> = headers.iter().map(|(name, _)| *name).collect();
    format!(
        "AWS4-HMAC-SHA256 Credential={}/{scope},SignedHeaders={},Signature={signature}",
        s.access_key_id,
        signed.join(";")
    )
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use chrono::TimeZone;
    use wiremock::matchers::{body_bytes, header, method, path};
    use wiremock::{Mock, MockServer, ResponseTemplate};

    use super::*;

    const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /// Amazon's published example "GET Object" (sig-v4-header-based-auth, example signature
    /// calculations): the same canonical request and signature.
    #[test]
    fn signs_amazons_published_get_object_example() {
        let headers = [
            ("host", "examplebucket.s3.amazonaws.com"),
            ("range", "bytes=0-9"),
            ("x-amz-content-sha256", EMPTY_SHA256),
            ("x-amz-date", "20130524T000000Z"),
        ];
        let request = canonical_request("GET", "/test.txt", &headers, EMPTY_SHA256);
        assert_eq!(
            hex::encode(Sha256::digest(request.as_bytes())),
            "7344ae5b7ee6c3e7e6b0fe0640412a37625d1fbfff95c48bbb2dc43964946972"
        );
        let signing = Signing {
            access_key_id: "AKIAIOSFODNN7EXAMPLE",
            secret_access_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY",
            region: "us-east-1",
            at: Utc.with_ymd_and_hms(2013, 5, 24, 0, 0, 0).unwrap(),
        };
        assert_eq!(
            authorization(&signing, "GET", "/test.txt", &headers, EMPTY_SHA256),
            "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request,\
             SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,\
             Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
    }

    /// Matches a request whose signature is right for what actually arrived: its method, path,
    /// `Host`, date and body hash, signed with `secret` (so a header that the HTTP client
    /// changes after signing, or a wrong body hash, fails).
    struct SignedBy {
        secret: &'static str,
    }

    impl wiremock::Match for SignedBy {
        fn matches(&self, req: &wiremock::Request) -> bool {
            let h = |name: &str| {
                req.headers
                    .get(name)
                    .and_then(|v| v.to_str().ok())
                    .unwrap_or_default()
                    .to_owned()
            };
            let (host, hash, date) = (h("host"), h("x-amz-content-sha256"), h("x-amz-date"));
            let Ok(at) = chrono::NaiveDateTime::parse_from_str(&date, "%Y%m%dT%H%M%SZ") else {
                return false;
            };
            let signing = Signing {
                access_key_id: "AKIDEXAMPLE",
                secret_access_key: self.secret,
                region: "af-south-1",
                at: at.and_utc(),
            };
            let headers = [
                ("host", host.as_str()),
                ("x-amz-content-sha256", hash.as_str()),
                ("x-amz-date", date.as_str()),
            ];
            hash == hex::encode(Sha256::digest(&req.body))
                && h("authorization")
                    == authorization(
                        &signing,
                        req.method.as_str(),
                        req.url.path(),
                        &headers,
                        &hash,
                    )
        }
    }

    fn bucket(server: &MockServer, path_style: bool) -> S3Bucket {
        S3Bucket::new(S3Config {
            endpoint: server.uri().parse().unwrap(),
            bucket: "rxgate".into(),
            region: "af-south-1".into(),
            access_key_id: "AKIDEXAMPLE".into(),
            secret_access_key: SecretString::from("secret"),
            path_style,
            prefix: "uploads/".into(),
        })
        .unwrap()
    }

    #[tokio::test]
    async fn puts_gets_and_deletes_signed_objects() {
        let server = MockServer::start().await;
        let png = b"\x89PNG\r\n\x1a\nbytes".to_vec();
        let signed = || SignedBy { secret: "secret" };
        Mock::given(method("PUT"))
            .and(path("/rxgate/uploads/a.png"))
            .and(signed())
            .and(header(
                "x-amz-content-sha256",
                hex::encode(Sha256::digest(&png)).as_str(),
            ))
            .and(header("content-type", "image/png"))
            .and(body_bytes(png.clone()))
            .respond_with(ResponseTemplate::new(200))
            .expect(1)
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/rxgate/uploads/a.png"))
            .and(signed())
            .and(header("x-amz-content-sha256", EMPTY_SHA256))
            .respond_with(ResponseTemplate::new(200).set_body_bytes(png.clone()))
            .mount(&server)
            .await;
        Mock::given(method("GET"))
            .and(path("/rxgate/uploads/gone.png"))
            .respond_with(ResponseTemplate::new(404).set_body_string(
                "<Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>",
            ))
            .mount(&server)
            .await;
        Mock::given(method("DELETE"))
            .and(path("/rxgate/uploads/a.png"))
            .and(signed())
            .respond_with(ResponseTemplate::new(204))
            .expect(1)
            .mount(&server)
            .await;

        let store = bucket(&server, true);
        store.put("a.png", &png, "image/png").await.unwrap();
        assert_eq!(store.get("a.png").await.unwrap().unwrap(), png);
        assert!(store.get("gone.png").await.unwrap().is_none());
        store.delete("a.png").await.unwrap();
        // Keys that could leave the prefix never reach the network.
        assert!(matches!(
            store.put("../x", b"", "image/png").await,
            Err(StorageError::InvalidKey(_))
        ));
    }

    #[tokio::test]
    async fn refusals_say_s3s_code_and_nothing_else() {
        let server = MockServer::start().await;
        Mock::given(method("PUT"))
            .respond_with(ResponseTemplate::new(403).set_body_string(
                "<Error><Code>SignatureDoesNotMatch</Code><Message>details</Message><StringToSign>secret-ish</StringToSign></Error>",
            ))
            .mount(&server)
            .await;
        let err = bucket(&server, true)
            .put("a.png", b"x", "image/png")
            .await
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("403") && err.contains("SignatureDoesNotMatch"),
            "{err}"
        );
        assert!(!err.contains("secret-ish"), "{err}");
    }

    #[test]
    fn builds_virtual_hosted_and_path_style_urls() {
        let config = |path_style| S3Config {
            endpoint: "https://s3.af-south-1.amazonaws.com".parse().unwrap(),
            bucket: "rxgate".into(),
            region: "af-south-1".into(),
            access_key_id: String::new(),
            secret_access_key: SecretString::from(""),
            path_style,
            prefix: String::new(),
        };
        assert_eq!(
            S3Bucket::new(config(false))
                .unwrap()
                .url("a.png")
                .unwrap()
                .as_str(),
            "https://rxgate.s3.af-south-1.amazonaws.com/a.png"
        );
        assert_eq!(
            S3Bucket::new(config(true))
                .unwrap()
                .url("a.png")
                .unwrap()
                .as_str(),
            "https://s3.af-south-1.amazonaws.com/rxgate/a.png"
        );
    }
}

//! SMTP transport (lettre), for production.

use async_trait::async_trait;
use lettre::message::{Mailbox, MultiPart, header::ContentType};
use lettre::transport::smtp::authentication::Credentials;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};
use secrecy::{ExposeSecret, SecretString};
use serde::Deserialize;
use uuid::Uuid;

use super::{MailError, Mailer, OutgoingEmail};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TlsMode {
    /// Plain connection (a relay on localhost only).
    None,
    /// STARTTLS upgrade, normally port 587.
    Starttls,
    /// TLS from the first byte, normally port 465.
    Tls,
}

#[derive(Debug, Clone, Deserialize)]
pub struct SmtpSettings {
    pub host: String,
    pub port: u16,
    pub tls: TlsMode,
    pub username: Option<String>,
    pub password: Option<SecretString>,
    /// `Rxgate <no-reply@example.org>`
    pub from: String,
}

pub struct SmtpMailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    hostname: String,
}

impl SmtpMailer {
    pub fn new(settings: &SmtpSettings) -> Result<Self, MailError> {
        let builder = match settings.tls {
            TlsMode::None => {
                AsyncSmtpTransport::<Tokio1Executor>::builder_dangerous(&settings.host)
            }
            TlsMode::Starttls => {
                AsyncSmtpTransport::<Tokio1Executor>::starttls_relay(&settings.host)
                    .map_err(|e| MailError::Permanent(e.to_string()))?
            }
            TlsMode::Tls => AsyncSmtpTransport::<Tokio1Executor>::relay(&settings.host)
                .map_err(|e| MailError::Permanent(e.to_string()))?,
        };
        let mut builder = builder.port(settings.port);
        if let (Some(user), Some(password)) = (&settings.username, &settings.password) {
            builder = builder.credentials(Credentials::new(
                user.clone(),
                password.expose_secret().to_owned(),
            ));
        }
        let from: Mailbox = settings
            .from
            .parse()
            .map_err(|e: lettre::address::AddressError| MailError::Permanent(e.to_string()))?;
        let hostname = from.email.domain().to_owned();
        Ok(Self {
            transport: builder.build(),
            from,
            hostname,
        })
    }

    fn build(&self, delivery_id: Uuid, email: &OutgoingEmail) -> Result<Message, MailError> {
        let to: Mailbox = email
            .to
            .parse()
            .map_err(|e: lettre::address::AddressError| MailError::Permanent(e.to_string()))?;
        // The Message-ID derives from the delivery id, so a retried send is recognisable as
        // the same message by receiving servers.
        let builder = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(&email.subject)
            .message_id(Some(format!(
                "<{}@{}>",
                delivery_id.simple(),
                self.hostname
            )));
        let message = match &email.body_html {
            Some(html) => builder.multipart(MultiPart::alternative_plain_html(
                email.body_text.clone(),
                html.clone(),
            )),
            None => builder
                .header(ContentType::TEXT_PLAIN)
                .body(email.body_text.clone()),
        };
        message.map_err(|e| MailError::Permanent(e.to_string()))
    }
}

#[async_trait]
impl Mailer for SmtpMailer {
    async fn send(&self, delivery_id: Uuid, email: &OutgoingEmail) -> Result<(), MailError> {
        let message = self.build(delivery_id, email)?;
        match self.transport.send(message).await {
            Ok(_) => Ok(()),
            Err(e) if e.is_permanent() => Err(MailError::Permanent(e.to_string())),
            Err(e) => Err(MailError::Transient(e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    //! Talks SMTP to a scripted server on loopback: checks the conversation and the message.
    use super::*;
    use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
    use tokio::net::TcpListener;

    /// A minimal SMTP server that accepts one message and returns the DATA it received.
    async fn one_message_server(reject_rcpt: bool) -> (u16, tokio::task::JoinHandle<String>) {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let handle = tokio::spawn(async move {
            let (stream, _) = listener.accept().await.unwrap();
            let (read, mut write) = stream.into_split();
            let mut lines = BufReader::new(read).lines();
            write.write_all(b"220 test ESMTP\r\n").await.unwrap();
            let mut data = String::new();
            let mut in_data = false;
            while let Ok(Some(line)) = lines.next_line().await {
                if in_data {
                    if line == "." {
                        in_data = false;
                        write.write_all(b"250 queued\r\n").await.unwrap();
                    } else {
                        data.push_str(&line);
                        data.push('\n');
                    }
                    continue;
                }
                let upper = line.to_ascii_uppercase();
                let reply: &[u8] = if upper.starts_with("EHLO") {
                    b"250-test\r\n250 8BITMIME\r\n"
                } else if upper.starts_with("RCPT") && reject_rcpt {
                    b"550 no such user\r\n"
                } else if upper.starts_with("DATA") {
                    in_data = true;
                    b"354 go ahead\r\n"
                } else if upper.starts_with("QUIT") {
                    write.write_all(b"221 bye\r\n").await.unwrap();
                    break;
                } else {
                    b"250 ok\r\n"
                };
                write.write_all(reply).await.unwrap();
            }
            data
        });
        (port, handle)
    }

    fn settings(port: u16) -> SmtpSettings {
        SmtpSettings {
            host: "127.0.0.1".into(),
            port,
            tls: TlsMode::None,
            username: None,
            password: None,
            from: "Rxgate <no-reply@rxgate.test>".into(),
        }
    }

    fn email() -> OutgoingEmail {
        OutgoingEmail {
            to: "patient@example.org".into(),
            subject: "Verify your email".into(),
            body_text: "Open the link".into(),
            body_html: None,
        }
    }

    #[tokio::test]
    async fn delivers_message_with_stable_message_id() {
        let (port, server) = one_message_server(false).await;
        let mailer = SmtpMailer::new(&settings(port)).unwrap();
        let id = Uuid::now_v7();
        mailer.send(id, &email()).await.unwrap();
        drop(mailer);
        let data = server.await.unwrap();
        assert!(data.contains("Subject: Verify your email"), "{data}");
        assert!(data.contains("To: patient@example.org"), "{data}");
        assert!(
            data.contains(&format!("Message-ID: <{}@rxgate.test>", id.simple())),
            "{data}"
        );
        assert!(data.contains("Open the link"), "{data}");
    }

    #[tokio::test]
    async fn rejected_recipient_is_permanent() {
        let (port, _server) = one_message_server(true).await;
        let mailer = SmtpMailer::new(&settings(port)).unwrap();
        let err = mailer.send(Uuid::now_v7(), &email()).await.unwrap_err();
        assert!(matches!(err, MailError::Permanent(_)), "{err:?}");
    }

    #[tokio::test]
    async fn unreachable_server_is_transient() {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        drop(listener);
        let mailer = SmtpMailer::new(&settings(port)).unwrap();
        let err = mailer.send(Uuid::now_v7(), &email()).await.unwrap_err();
        assert!(matches!(err, MailError::Transient(_)), "{err:?}");
    }

    #[tokio::test]
    async fn invalid_recipient_is_permanent_without_connecting() {
        let mailer = SmtpMailer::new(&settings(1)).unwrap();
        let mut bad = email();
        bad.to = "not an address".into();
        let err = mailer.send(Uuid::now_v7(), &bad).await.unwrap_err();
        assert!(matches!(err, MailError::Permanent(_)), "{err:?}");
    }
}

//! A small SMTP server for tests: it accepts every message and keeps what it received, so a
//! test can check what really went out over the wire.

use std::sync::{Arc, Mutex};

use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpListener;

/// A running server; `url` is an `SMTP_URL` for it.
pub struct FakeSmtp {
    pub url: String,
    received: Arc<Mutex<Vec<Delivery>>>,
}

/// One message as the server took it: the envelope and the DATA, dot-stuffing undone.
#[derive(Debug, Clone, Default)]
pub struct Delivery {
    pub mail_from: String,
    pub rcpt_to: Vec<String>,
    pub data: String,
}

impl FakeSmtp {
    pub async fn start() -> Self {
        let listener = TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let received = Arc::new(Mutex::new(Vec::new()));
        let kept = received.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let kept = kept.clone();
                tokio::spawn(async move {
                    let _ = serve(stream, kept).await;
                });
            }
        });
        Self {
            url: format!("smtp://127.0.0.1:{port}"),
            received,
        }
    }

    /// Every message's DATA, in the order received.
    pub fn messages(&self) -> Vec<String> {
        self.deliveries().into_iter().map(|d| d.data).collect()
    }

    /// Every message with its envelope, in the order received.
    pub fn deliveries(&self) -> Vec<Delivery> {
        self.received.lock().unwrap().clone()
    }
}

/// The address in `MAIL FROM:<a> …` or `RCPT TO:<a> …`.
fn path_of(line: &str) -> String {
    let start = line.find('<').map_or(line.len(), |i| i + 1);
    let end = line[start..].find('>').map_or(line.len(), |i| start + i);
    line[start..end].to_owned()
}

async fn serve(
    stream: tokio::net::TcpStream,
    kept: Arc<Mutex<Vec<Delivery>>>,
) -> std::io::Result<()> {
    let (read, mut write) = stream.into_split();
    let mut lines = BufReader::new(read);
    write.write_all(b"220 fake ESMTP\r\n").await?;
    let mut line = String::new();
    let mut envelope = Delivery::default();
    loop {
        line.clear();
        if lines.read_line(&mut line).await? == 0 {
            return Ok(());
        }
        let verb = line.get(..4).unwrap_or("").to_ascii_uppercase();
        match verb.as_str() {
            "EHLO" | "HELO" => write.write_all(b"250 fake\r\n").await?,
            "MAIL" => {
                envelope = Delivery {
                    mail_from: path_of(&line),
                    ..Delivery::default()
                };
                write.write_all(b"250 OK\r\n").await?;
            }
            "RCPT" => {
                envelope.rcpt_to.push(path_of(&line));
                write.write_all(b"250 OK\r\n").await?;
            }
            "RSET" => {
                envelope = Delivery::default();
                write.write_all(b"250 OK\r\n").await?;
            }
            "DATA" => {
                write.write_all(b"354 go ahead\r\n").await?;
                let mut data = String::new();
                loop {
                    line.clear();
                    if lines.read_line(&mut line).await? == 0 {
                        return Ok(());
                    }
                    if line == ".\r\n" || line == ".\n" {
                        break;
                    }
                    // The client doubled a leading dot (RFC 5321 §4.5.2); take it back off.
                    data.push_str(line.strip_prefix('.').unwrap_or(&line));
                }
                envelope.data = data;
                kept.lock().unwrap().push(std::mem::take(&mut envelope));
                write.write_all(b"250 kept\r\n").await?;
            }
            "QUIT" => {
                write.write_all(b"221 bye\r\n").await?;
                return Ok(());
            }
            _ => write.write_all(b"250 OK\r\n").await?,
        }
    }
}

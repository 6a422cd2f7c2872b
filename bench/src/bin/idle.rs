//! The client of bench/idle.sh: opens N connections to a server (the
//! first argument, then N), sends `GET /` on each and reads the answer,
//! keeps them all open, says `open N` and waits to be killed. Blocking
//! sockets, one after the other: the point is the server's memory with N
//! idle keep-alive connections, not speed.

use std::io::{Read, Write};
use std::net::TcpStream;

fn main() {
    let address = std::env::args().nth(1).expect("the server's address");
    let count: usize = std::env::args()
        .nth(2)
        .and_then(|count| count.parse().ok())
        .expect("how many connections");
    let mut open = Vec::with_capacity(count);
    for _ in 0..count {
        let mut stream = TcpStream::connect(&address).expect("connect");
        stream
            .write_all(b"GET / HTTP/1.1\r\nHost: bench\r\n\r\n")
            .expect("send");
        let mut answer = Vec::new();
        let mut buffer = [0u8; 4096];
        while !answer.ends_with(b"Hello, World!") {
            let read = stream.read(&mut buffer).expect("read");
            assert!(read > 0, "closed: {}", String::from_utf8_lossy(&answer));
            answer.extend_from_slice(&buffer[..read]);
        }
        open.push(stream);
    }
    println!("open {}", open.len());
    std::thread::park();
    drop(open);
}

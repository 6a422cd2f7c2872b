//! A listening socket handed over by whoever started the process: systemd
//! socket activation, `systemfd`, or phial's own reloader (`LISTEN_FDS`,
//! the first socket, fd 3), read through the `listenfd` crate.

use tokio::net::TcpListener;

/// The listening socket passed in, if one was.
pub(crate) fn inherited_listener() -> std::io::Result<Option<TcpListener>> {
    let Some(listener) = listenfd::ListenFd::from_env().take_tcp_listener(0)? else {
        return Ok(None);
    };
    listener.set_nonblocking(true)?;
    TcpListener::from_std(listener).map(Some)
}

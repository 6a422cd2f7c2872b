//! Where the app finds its files: the template and static folders, and
//! the instance folder (Flask's `instance_path`).

use std::path::Path;
use std::sync::Arc;

use super::application::absolute;

use crate::web::static_files::StaticFiles;
use crate::App;

impl App {
    /// The folder [`render_template`](crate::render_template) loads from
    /// (default `templates` in the working directory). Templates load on
    /// first use and are cached.
    #[cfg(feature = "templates")]
    #[cfg_attr(docsrs, doc(cfg(feature = "templates")))]
    #[must_use = "the app does nothing until it is run or served"]
    pub fn template_folder(mut self, folder: impl Into<std::path::PathBuf>) -> Self {
        let inner = self.inner_mut();
        inner.templates = inner.templates.with_app_folder(folder.into());
        self
    }

    /// The folder served at the static URL path (default `static` in the
    /// working directory, served at `/static/<path:filename>`). Routes of
    /// your own under that prefix take precedence.
    #[must_use = "the app does nothing until it is run or served"]
    pub fn static_folder(mut self, folder: impl Into<std::path::PathBuf>) -> Self {
        let folder = folder.into();
        let inner = self.inner_mut();
        let config = inner
            .static_files
            .get_or_insert_with(StaticFiles::default_config);
        config.folder = folder;
        self
    }

    /// The URL prefix of static files (default `/static`).
    ///
    /// # Panics
    ///
    /// If `url_path` does not start with `/`.
    #[must_use = "the app does nothing until it is run or served"]
    pub fn static_url_path(mut self, url_path: &str) -> Self {
        assert!(
            url_path.starts_with('/'),
            "static_url_path must start with `/`, as in \"/assets\" (got {url_path:?})"
        );
        let inner = self.inner_mut();
        let config = inner
            .static_files
            .get_or_insert_with(StaticFiles::default_config);
        config.url_path = url_path.trim_end_matches('/').to_owned();
        let url_path = config.url_path.clone();
        Arc::make_mut(&mut inner.urls).set_static(Some(&url_path));
        self
    }

    /// Serves no static files (Flask's `static_folder=None`).
    #[must_use = "the app does nothing until it is run or served"]
    pub fn without_static_files(mut self) -> Self {
        let inner = self.inner_mut();
        inner.static_files = None;
        Arc::make_mut(&mut inner.urls).set_static(None);
        self
    }

    /// The instance folder, as Flask's `app.instance_path`: where files
    /// that belong to this deployment and not to the code live (a local
    /// `config.toml`, an SQLite database, uploads). `instance` in the
    /// working directory unless [`with_instance_path`](Self::with_instance_path)
    /// moved it; always an absolute path. phial doesn't create it:
    /// [`ensure_instance_path`](Self::ensure_instance_path) does.
    ///
    /// ```
    /// let app = phial::App::new();
    /// assert!(app.instance_path().ends_with("instance"));
    /// ```
    pub fn instance_path(&self) -> &Path {
        &self.inner.instance_path
    }

    /// Moves the [instance folder](Self::instance_path) to `path` (a
    /// relative path is taken from the working directory).
    ///
    /// ```
    /// let app = phial::App::new().with_instance_path("/var/lib/flaskr");
    /// assert_eq!(app.instance_path(), std::path::Path::new("/var/lib/flaskr"));
    /// ```
    #[must_use = "the app does nothing until it is run or served"]
    pub fn with_instance_path(mut self, path: impl AsRef<Path>) -> Self {
        self.inner_mut().instance_path = absolute(path.as_ref());
        self
    }

    /// Creates the [instance folder](Self::instance_path) and its parents
    /// if they don't exist yet (flaskr's `os.makedirs(app.instance_path,
    /// exist_ok=True)`), and returns its path.
    ///
    /// ```
    /// # let dir = std::env::temp_dir().join(format!("phial-doc-instance-{}", std::process::id()));
    /// let app = phial::App::new().with_instance_path(&dir);
    /// let folder = app.ensure_instance_path()?;
    /// assert!(folder.is_dir());
    /// # std::fs::remove_dir_all(&dir).ok();
    /// # Ok::<(), phial::Error>(())
    /// ```
    ///
    /// # Errors
    ///
    /// If the folder can't be created: an I/O error whose message names
    /// the folder.
    pub fn ensure_instance_path(&self) -> Result<&Path, crate::Error> {
        let path = self.instance_path();
        std::fs::create_dir_all(path).map_err(|error| {
            let message = format!(
                "can't create the instance folder {}: {error}",
                path.display()
            );
            crate::Error::io(std::io::Error::new(error.kind(), message))
        })?;
        Ok(path)
    }
}

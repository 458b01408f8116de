//! Every client-side route in one place: links are built from this enum, never from strings.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Page {
    Home,
    DevMailbox,
}

impl Page {
    pub fn path(self) -> &'static str {
        match self {
            Self::Home => "/",
            Self::DevMailbox => "/dev/mailbox",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Self::Home => "Home",
            Self::DevMailbox => "Developer mailbox",
        }
    }
}

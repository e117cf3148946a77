//! Why an action on this device (sign up, cancel, scan, decide …) was not recorded.

use crate::i18n::{Lang, Msg};
use engine::StoreError;

/// Why an action was not recorded on this device. Nothing of it was queued.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ActionError {
    /// No one's store is open: nobody is signed in (or, for the moment after signing in or
    /// reloading, the person's store is still opening).
    #[error("not signed in")]
    NotSignedIn,
    /// The device's store refused the write.
    #[error(transparent)]
    DeviceStorage(#[from] StoreError),
}

impl ActionError {
    /// What the person is told, in the catalog's words.
    pub fn msg(&self) -> Msg {
        match self {
            Self::NotSignedIn => Msg::ErrActionNotSignedIn,
            Self::DeviceStorage(_) => Msg::ErrActionDeviceStorage,
        }
    }

    /// The sentence shown where the action was taken: 操作失败：… with the reason.
    pub fn text(&self, lang: Lang) -> String {
        Msg::ActionFailed.fill(lang, &[self.msg().text(lang)])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_action_error_is_said_in_both_languages() {
        let store = ActionError::from(StoreError::Db("quota".into()));
        assert_eq!(
            store,
            ActionError::DeviceStorage(StoreError::Db("quota".into()))
        );
        for e in [ActionError::NotSignedIn, store] {
            let zh = e.text(Lang::Zh);
            let en = e.text(Lang::En);
            assert!(
                zh.starts_with("操作失败：") && zh.len() > "操作失败：".len(),
                "{e:?}"
            );
            assert!(
                en.starts_with("That did not work: ") && !en.contains('{'),
                "{e:?}"
            );
        }
        assert_eq!(
            ActionError::NotSignedIn.text(Lang::Zh),
            "操作失败：请先登录"
        );
    }
}

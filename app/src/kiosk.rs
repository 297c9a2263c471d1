//! Classroom kiosk mode: a youth worker's session on a shared tablet, respondents one after
//! another.
//!
//! Plain Rust, tested on the host: the session's settings, which screen the current respondent
//! is on, the youth worker's PIN (only a salted, stretched SHA-256 of it is kept), the lockout
//! after wrong PINs, and the count of completed questionnaires. The session is kept in
//! localStorage under [`KIOSK_KEY`], so a reload leaves the tablet in kiosk mode.
//!
//! The PIN keeps respondents out of the rest of the app; it is no protection against someone
//! who can read the browser's storage (a short PIN can be guessed from its hash offline).

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use voci_core::{Lang, SiteId, SurveyId};

use crate::storage::{Store, WriteFailed};

pub const KIOSK_KEY: &str = "voci.kiosk";
/// A PIN has this many digits at least, and [`PIN_MAX`] at most.
pub const PIN_MIN: usize = 4;
pub const PIN_MAX: usize = 12;
/// Wrong PINs in a row before the lockout.
pub const TRIES: u32 = 3;
/// How long the PIN prompt refuses every PIN after [`TRIES`] wrong ones.
pub const LOCKOUT_MS: u64 = 60_000;
/// A class or group label longer than this is a mistake (it goes into every response).
pub const GROUP_MAX: usize = 60;
/// SHA-256 rounds over the PIN: a few milliseconds in the browser, a cost for a guesser.
const ROUNDS: u32 = 5_000;

/// What the youth worker fills in to start a session.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Form {
    pub site: Option<SiteId>,
    pub group: String,
    pub survey: Option<SurveyId>,
    pub language: Lang,
    pub pin: String,
    pub pin_again: String,
}

/// Why a session cannot start.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SetupError {
    NoSite,
    NoSurvey,
    GroupTooLong,
    /// Not 4 to 12 digits.
    BadPin,
    PinMismatch,
}

/// What a session keeps about itself.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Settings {
    pub site: SiteId,
    /// The class or group label each response records; `None` when left empty.
    pub group: Option<String>,
    pub survey: SurveyId,
    /// The language each respondent starts in.
    pub language: Lang,
}

/// A salted, stretched hash of the PIN (hex).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PinHash {
    salt: String,
    hash: String,
}

impl PinHash {
    pub fn new(pin: &str, salt: [u8; 16]) -> Self {
        let salt = hex(&salt);
        let hash = stretch(&salt, pin);
        Self { salt, hash }
    }

    pub fn verify(&self, pin: &str) -> bool {
        let got = stretch(&self.salt, pin);
        // Same length always (hex of SHA-256); compare every byte.
        got.len() == self.hash.len()
            && got
                .bytes()
                .zip(self.hash.bytes())
                .fold(0u8, |acc, (a, b)| acc | (a ^ b))
                == 0
    }
}

fn stretch(salt: &str, pin: &str) -> String {
    let mut digest = Sha256::new()
        .chain_update(salt.as_bytes())
        .chain_update(pin.as_bytes())
        .finalize();
    for _ in 1..ROUNDS {
        digest = Sha256::new()
            .chain_update(salt.as_bytes())
            .chain_update(digest)
            .finalize();
    }
    hex(&digest)
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// Where the current respondent is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Stage {
    /// The survey's title, the language picker and Start: the screen a respondent is handed.
    Welcome,
    /// The survey's consent or assent text, before any answer exists.
    Consent,
    /// Answering (the answers are the runner's, kept in the draft).
    Questions,
    /// Done; the next tap starts the next respondent.
    Thanks,
}

/// What a PIN attempt gave.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unlock {
    Open,
    Wrong {
        tries_left: u32,
    },
    /// Locked out: every PIN is refused for this many more seconds.
    Locked {
        seconds: u64,
    },
}

/// One kiosk session.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Session {
    settings: Settings,
    pin: PinHash,
    stage: Stage,
    /// The current respondent's language: the session's until they pick another.
    language: Lang,
    completed: u32,
    wrong: u32,
    /// When the lockout began (milliseconds since 1970, the device's clock).
    locked_at: Option<u64>,
}

impl Session {
    /// Checks the form and starts a session on the welcome screen.
    pub fn start(form: &Form, salt: [u8; 16]) -> Result<Self, SetupError> {
        let site = form.site.clone().ok_or(SetupError::NoSite)?;
        let survey = form.survey.clone().ok_or(SetupError::NoSurvey)?;
        let group = form.group.trim();
        if group.chars().count() > GROUP_MAX {
            return Err(SetupError::GroupTooLong);
        }
        let pin = form.pin.trim();
        if !(PIN_MIN..=PIN_MAX).contains(&pin.len()) || !pin.bytes().all(|b| b.is_ascii_digit()) {
            return Err(SetupError::BadPin);
        }
        if pin != form.pin_again.trim() {
            return Err(SetupError::PinMismatch);
        }
        Ok(Self {
            settings: Settings {
                site,
                group: (!group.is_empty()).then(|| group.to_owned()),
                survey,
                language: form.language.clone(),
            },
            pin: PinHash::new(pin, salt),
            stage: Stage::Welcome,
            language: form.language.clone(),
            completed: 0,
            wrong: 0,
            locked_at: None,
        })
    }

    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    pub fn stage(&self) -> Stage {
        self.stage
    }

    pub fn language(&self) -> &str {
        &self.language
    }

    /// Questionnaires completed (queued) in this session.
    pub fn completed(&self) -> u32 {
        self.completed
    }

    /// The respondent picks a language, on the welcome screen or while answering.
    pub fn set_language(&mut self, language: &str) {
        language.clone_into(&mut self.language);
    }

    /// Start on the welcome screen: to the consent text if the survey has one, else to the
    /// questions. Says whether the questions begin now.
    pub fn begin(&mut self, has_consent: bool) -> bool {
        if self.stage != Stage::Welcome {
            return false;
        }
        self.stage = if has_consent {
            Stage::Consent
        } else {
            Stage::Questions
        };
        self.stage == Stage::Questions
    }

    /// The respondent agreed: the questions begin. Says whether they do.
    pub fn accept(&mut self) -> bool {
        let from_consent = self.stage == Stage::Consent;
        if from_consent {
            self.stage = Stage::Questions;
        }
        from_consent
    }

    /// The respondent declined (at the consent) or withdrew (while answering): nothing of them
    /// is kept, and the next respondent is welcomed.
    pub fn withdraw(&mut self) {
        if matches!(self.stage, Stage::Consent | Stage::Questions) {
            self.welcome_next();
        }
    }

    /// The respondent's questionnaire is queued.
    pub fn finish(&mut self) {
        if self.stage == Stage::Questions {
            self.stage = Stage::Thanks;
            self.completed += 1;
        }
    }

    /// From the thank-you screen to a blank welcome for the next respondent.
    pub fn next_respondent(&mut self) {
        if self.stage == Stage::Thanks {
            self.welcome_next();
        }
    }

    /// After a reload: a respondent whose answers could not be restored starts again.
    pub fn lost_draft(&mut self) {
        if self.stage == Stage::Questions {
            self.welcome_next();
        }
    }

    fn welcome_next(&mut self) {
        self.stage = Stage::Welcome;
        self.language.clone_from(&self.settings.language);
    }

    /// Seconds left of a lockout at `now_ms`, if one is running.
    pub fn locked_for(&self, now_ms: u64) -> Option<u64> {
        let at = self.locked_at?;
        // A clock set back counts as the lockout just beginning.
        let since = now_ms.saturating_sub(at);
        (since < LOCKOUT_MS).then(|| (LOCKOUT_MS - since).div_ceil(1000))
    }

    /// The youth worker's PIN at `now_ms`. Wrong PINs count; [`TRIES`] in a row lock every
    /// attempt out for [`LOCKOUT_MS`], even with the right PIN.
    pub fn unlock(&mut self, pin: &str, now_ms: u64) -> Unlock {
        if let Some(at) = self.locked_at {
            if now_ms < at {
                self.locked_at = Some(now_ms);
            }
            if let Some(seconds) = self.locked_for(now_ms) {
                return Unlock::Locked { seconds };
            }
            self.locked_at = None;
        }
        if self.pin.verify(pin.trim()) {
            self.wrong = 0;
            return Unlock::Open;
        }
        self.wrong += 1;
        if self.wrong >= TRIES {
            self.wrong = 0;
            self.locked_at = Some(now_ms);
            return Unlock::Locked {
                seconds: LOCKOUT_MS / 1000,
            };
        }
        Unlock::Wrong {
            tries_left: TRIES - self.wrong,
        }
    }

    /// The session kept in storage, if there is a readable one.
    pub fn load(store: &impl Store) -> Option<Self> {
        serde_json::from_str(&store.get(KIOSK_KEY)?).ok()
    }

    pub fn save(&self, store: &impl Store) -> Result<(), WriteFailed> {
        let json = serde_json::to_string(self).expect("a session always serialises");
        store.set(KIOSK_KEY, &json)
    }

    pub fn forget(store: &impl Store) {
        store.remove(KIOSK_KEY);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::storage::MemoryStore;

    fn form() -> Form {
        Form {
            site: Some(SiteId::parse("ambito-5-melzo/melzo/ic-mascagni").unwrap()),
            group: "  3B ".into(),
            survey: Some(SurveyId::parse("protagonismo-giovanile").unwrap()),
            language: "it".into(),
            pin: "2468".into(),
            pin_again: "2468".into(),
        }
    }

    fn session() -> Session {
        Session::start(&form(), [9; 16]).unwrap()
    }

    #[test]
    fn a_session_starts_on_the_welcome_screen_with_a_trimmed_group() {
        let s = session();
        assert_eq!(s.stage(), Stage::Welcome);
        assert_eq!(s.settings().group.as_deref(), Some("3B"));
        assert_eq!(s.completed(), 0);
        assert_eq!(s.language(), "it");
        let no_group = Session::start(
            &Form {
                group: "   ".into(),
                ..form()
            },
            [9; 16],
        )
        .unwrap();
        assert_eq!(no_group.settings().group, None);
    }

    #[test]
    fn the_form_says_what_is_missing() {
        let cases = [
            (
                Form {
                    site: None,
                    ..form()
                },
                SetupError::NoSite,
            ),
            (
                Form {
                    survey: None,
                    ..form()
                },
                SetupError::NoSurvey,
            ),
            (
                Form {
                    group: "x".repeat(GROUP_MAX + 1),
                    ..form()
                },
                SetupError::GroupTooLong,
            ),
            (
                Form {
                    pin: "123".into(),
                    pin_again: "123".into(),
                    ..form()
                },
                SetupError::BadPin,
            ),
            (
                Form {
                    pin: "12a4".into(),
                    pin_again: "12a4".into(),
                    ..form()
                },
                SetupError::BadPin,
            ),
            (
                Form {
                    pin: "1234567890123".into(),
                    pin_again: "1234567890123".into(),
                    ..form()
                },
                SetupError::BadPin,
            ),
            (
                Form {
                    pin_again: "2469".into(),
                    ..form()
                },
                SetupError::PinMismatch,
            ),
        ];
        for (f, want) in cases {
            assert_eq!(Session::start(&f, [1; 16]), Err(want), "{f:?}");
        }
    }

    #[test]
    fn only_a_salted_hash_of_the_pin_is_kept() {
        let s = session();
        let json = serde_json::to_string(&s).unwrap();
        assert!(!json.contains("2468"), "the PIN itself is never stored");
        let other_salt = Session::start(&form(), [8; 16]).unwrap();
        assert_ne!(
            s.pin.hash, other_salt.pin.hash,
            "the same PIN hashes differently under another salt"
        );
        assert!(s.pin.verify("2468"));
        assert!(!s.pin.verify("2469"));
        assert!(!s.pin.verify(""));
    }

    #[test]
    fn a_respondent_goes_welcome_consent_questions_thanks_and_the_next_starts_again() {
        let mut s = session();
        s.set_language("ar");
        assert!(!s.begin(true), "a consent text comes first");
        assert_eq!(s.stage(), Stage::Consent);
        assert!(s.accept());
        assert_eq!(s.stage(), Stage::Questions);
        s.finish();
        assert_eq!(s.stage(), Stage::Thanks);
        assert_eq!(s.completed(), 1);
        s.finish();
        assert_eq!(s.completed(), 1, "a second tap does not count twice");
        s.next_respondent();
        assert_eq!(s.stage(), Stage::Welcome);
        assert_eq!(
            s.language(),
            "it",
            "the next respondent starts in the default"
        );
        assert!(
            s.begin(false),
            "without consent the questions start at once"
        );
        assert_eq!(s.stage(), Stage::Questions);
    }

    #[test]
    fn declining_or_withdrawing_goes_back_to_welcome_without_counting() {
        let mut s = session();
        s.begin(true);
        s.withdraw();
        assert_eq!(s.stage(), Stage::Welcome);
        s.begin(false);
        s.set_language("en");
        s.withdraw();
        assert_eq!(s.stage(), Stage::Welcome);
        assert_eq!(s.language(), "it");
        assert_eq!(s.completed(), 0);
        assert!(!s.accept(), "nothing to accept on the welcome screen");
        assert_eq!(s.stage(), Stage::Welcome);
    }

    #[test]
    fn a_lost_draft_sends_the_respondent_back_to_welcome() {
        let mut s = session();
        s.begin(false);
        s.lost_draft();
        assert_eq!(s.stage(), Stage::Welcome);
        s.begin(false);
        s.finish();
        s.lost_draft();
        assert_eq!(
            s.stage(),
            Stage::Thanks,
            "only an answering respondent has a draft"
        );
    }

    #[test]
    fn wrong_pins_count_down_then_lock_out_even_the_right_one() {
        let mut s = session();
        let t0 = 1_700_000_000_000;
        assert_eq!(s.unlock("0000", t0), Unlock::Wrong { tries_left: 2 });
        assert_eq!(s.unlock("2468", t0), Unlock::Open, "the right PIN opens");
        assert_eq!(s.unlock("0000", t0), Unlock::Wrong { tries_left: 2 });
        assert_eq!(s.unlock("1111", t0), Unlock::Wrong { tries_left: 1 });
        assert_eq!(s.unlock("2222", t0), Unlock::Locked { seconds: 60 });
        assert_eq!(
            s.unlock("2468", t0 + 1_500),
            Unlock::Locked { seconds: 59 },
            "locked out: even the right PIN is refused"
        );
        assert_eq!(s.locked_for(t0 + 59_001), Some(1));
        assert_eq!(s.locked_for(t0 + LOCKOUT_MS), None);
        assert_eq!(s.unlock("2468", t0 + LOCKOUT_MS), Unlock::Open);
        assert_eq!(s.locked_for(t0 + LOCKOUT_MS), None);
    }

    #[test]
    fn a_clock_set_back_does_not_end_a_lockout() {
        let mut s = session();
        let t0 = 1_700_000_000_000;
        for pin in ["1", "2", "3"] {
            s.unlock(pin, t0);
        }
        let earlier = t0 - 3_600_000;
        assert_eq!(s.unlock("2468", earlier), Unlock::Locked { seconds: 60 });
        assert_eq!(s.unlock("2468", earlier + LOCKOUT_MS), Unlock::Open);
    }

    #[test]
    fn the_session_survives_a_reload_with_its_lockout() {
        let store = MemoryStore::default();
        assert_eq!(Session::load(&store), None);
        let mut s = session();
        s.begin(false);
        s.set_language("ar");
        for pin in ["1", "2", "3"] {
            s.unlock(pin, 5_000);
        }
        s.save(&store).unwrap();
        let back = Session::load(&store).unwrap();
        assert_eq!(back, s);
        assert_eq!(back.stage(), Stage::Questions);
        assert_eq!(back.language(), "ar");
        assert!(back.locked_for(6_000).is_some());
        Session::forget(&store);
        assert_eq!(Session::load(&store), None);
        store.set(KIOSK_KEY, "{not json").unwrap();
        assert_eq!(Session::load(&store), None, "an unreadable session is none");
    }
}

//! The app's own interface strings, in Italian (the default) and English.
//!
//! Survey texts come with the survey; these are the words around them.

use voci_core::Problem;

use crate::sync::{SyncFailure, SyncState};

/// The interface language. Survey texts follow it when the survey has it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum UiLang {
    #[default]
    It,
    En,
}

impl UiLang {
    pub const ALL: [UiLang; 2] = [UiLang::It, UiLang::En];

    pub fn code(self) -> &'static str {
        match self {
            Self::It => "it",
            Self::En => "en",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|l| l.code() == s)
    }

    /// The language's name in itself, for the switch.
    pub fn name(self) -> &'static str {
        match self {
            Self::It => "Italiano",
            Self::En => "English",
        }
    }
}

/// A fixed interface text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    AppTitle,
    Loading,
    CatalogMissing,
    Retry,
    OfflineCopy,
    Site,
    ChooseSite,
    SiteRequired,
    Surveys,
    NoSurveys,
    Back,
    Next,
    Submit,
    Leave,
    ConfirmLeave,
    Thanks,
    ThanksBody,
    NextRespondent,
    BackHome,
    Queued,
    SyncNow,
    Attention,
    AttentionBody,
    Language,
    SaveFailed,
    ExportOutbox,
    ExportHint,
}

/// The text for `key` in `lang`.
pub fn t(lang: UiLang, key: Key) -> &'static str {
    use Key::*;
    use UiLang::*;
    match (key, lang) {
        (AppTitle, _) => "Voci",
        (Loading, It) => "Caricamento dei questionari…",
        (Loading, En) => "Loading the surveys…",
        (CatalogMissing, It) => "Collegati a una rete una volta per scaricare i questionari.",
        (CatalogMissing, En) => "Connect once to download the surveys.",
        (Retry, It) => "Riprova",
        (Retry, En) => "Try again",
        (OfflineCopy, It) => "Senza rete: uso i questionari scaricati l'ultima volta.",
        (OfflineCopy, En) => "No network: using the surveys downloaded last time.",
        (Site, It) => "Luogo della rilevazione",
        (Site, En) => "Where you are collecting",
        (ChooseSite, It) => "— scegli il luogo —",
        (ChooseSite, En) => "— choose the place —",
        (SiteRequired, It) => "Scegli prima il luogo della rilevazione.",
        (SiteRequired, En) => "Choose the place first.",
        (Surveys, It) => "Questionari",
        (Surveys, En) => "Surveys",
        (NoSurveys, It) => "Nessun questionario disponibile.",
        (NoSurveys, En) => "No surveys available.",
        (Back, It) => "Indietro",
        (Back, En) => "Back",
        (Next, It) => "Avanti",
        (Next, En) => "Next",
        (Submit, It) => "Invia",
        (Submit, En) => "Submit",
        (Leave, It) => "Esci",
        (Leave, En) => "Leave",
        (ConfirmLeave, It) => "Uscire? Le risposte di questa persona verranno cancellate.",
        (ConfirmLeave, En) => "Leave? The answers of this respondent will be discarded.",
        (Thanks, It) => "Grazie!",
        (Thanks, En) => "Thank you!",
        (ThanksBody, It) => "Le risposte sono salvate su questo dispositivo.",
        (ThanksBody, En) => "The answers are saved on this device.",
        (NextRespondent, It) => "Nuova persona",
        (NextRespondent, En) => "Next respondent",
        (BackHome, It) => "Torna all'inizio",
        (BackHome, En) => "Back to the start",
        (Queued, It) => "Da inviare",
        (Queued, En) => "To send",
        (SyncNow, It) => "Invia ora",
        (SyncNow, En) => "Send now",
        (Attention, It) => "Risposte rifiutate dal server, da controllare:",
        (Attention, En) => "Responses the server refused, to be checked:",
        (AttentionBody, It) => "Sono conservate su questo dispositivo.",
        (AttentionBody, En) => "They are kept on this device.",
        (Language, It) => "Lingua",
        (Language, En) => "Language",
        (SaveFailed, It) => {
            "Impossibile salvare sul dispositivo (memoria piena?). Le risposte non sono state registrate."
        }
        (ExportOutbox, It) => "Salva le risposte in attesa in un file",
        (ExportOutbox, En) => "Save the waiting answers to a file",
        (ExportHint, It) => {
            "Se qui la rete non arriva mai, porta il file a chi gestisce il server: lo importa lui."
        }
        (ExportHint, En) => {
            "If there is never a network here, take the file to whoever runs the server to import."
        }
        (SaveFailed, En) => {
            "Could not save on this device (storage full?). The answers were not recorded."
        }
    }
}

/// "Page 2 of 5".
pub fn page_of(lang: UiLang, page: usize, pages: usize) -> String {
    match lang {
        UiLang::It => format!("Pagina {page} di {pages}"),
        UiLang::En => format!("Page {page} of {pages}"),
    }
}

/// A hint under a multiple-choice question with a maximum.
pub fn choose_at_most(lang: UiLang, max: u32) -> String {
    match (lang, max) {
        (UiLang::It, 1) => "Scegline una sola.".to_owned(),
        (UiLang::It, n) => format!("Puoi sceglierne al massimo {n}."),
        (UiLang::En, 1) => "Choose only one.".to_owned(),
        (UiLang::En, n) => format!("You can choose up to {n}."),
    }
}

/// What is wrong with an answer, in words for the person holding the tablet.
pub fn problem(lang: UiLang, p: &Problem) -> String {
    use UiLang::*;
    match (p, lang) {
        (Problem::Required, It) => "Questa domanda richiede una risposta.".to_owned(),
        (Problem::Required, En) => "This question needs an answer.".to_owned(),
        (Problem::WrongType { .. }, It) => "Questa risposta non è del tipo giusto.".to_owned(),
        (Problem::WrongType { .. }, En) => "This answer is not of the right kind.".to_owned(),
        (Problem::UnknownChoice { .. }, It) => "Scegli una delle opzioni proposte.".to_owned(),
        (Problem::UnknownChoice { .. }, En) => "Choose one of the options given.".to_owned(),
        (Problem::RepeatedChoice { .. }, It) => "Un'opzione è scelta due volte.".to_owned(),
        (Problem::RepeatedChoice { .. }, En) => "An option is chosen twice.".to_owned(),
        (Problem::TooFewChoices { min }, It) => format!("Scegline almeno {min}."),
        (Problem::TooFewChoices { min }, En) => format!("Choose at least {min}."),
        (Problem::TooManyChoices { max }, It) => format!("Scegline al massimo {max}."),
        (Problem::TooManyChoices { max }, En) => format!("Choose at most {max}."),
        (Problem::NotWhole, It) => "Scrivi un numero intero.".to_owned(),
        (Problem::NotWhole, En) => "Enter a whole number.".to_owned(),
        (Problem::BelowMin { min }, It) => format!("Il valore minimo è {min}."),
        (Problem::BelowMin { min }, En) => format!("The smallest allowed value is {min}."),
        (Problem::AboveMax { max }, It) => format!("Il valore massimo è {max}."),
        (Problem::AboveMax { max }, En) => format!("The largest allowed value is {max}."),
        (Problem::TooLong { max }, It) => format!("Al massimo {max} caratteri."),
        (Problem::TooLong { max }, En) => format!("At most {max} characters."),
        (Problem::NotADate, It) => "Scrivi una data valida.".to_owned(),
        (Problem::NotADate, En) => "Enter a valid date.".to_owned(),
        (Problem::UnknownQuestion, It) => "Domanda sconosciuta.".to_owned(),
        (Problem::UnknownQuestion, En) => "Unknown question.".to_owned(),
        (Problem::NotAnswerable, It) => "Questa domanda non prevede risposta.".to_owned(),
        (Problem::NotAnswerable, En) => "This item takes no answer.".to_owned(),
        (Problem::Constraint, It) => "Questa risposta non è accettata: controllala.".to_owned(),
        (Problem::Constraint, En) => "This answer is not accepted: please check it.".to_owned(),
        (Problem::NotRelevant, It) => "Questa domanda non andava mostrata.".to_owned(),
        (Problem::NotRelevant, En) => "This question should not have been shown.".to_owned(),
        (Problem::Calculation { .. }, It) => "Un valore calcolato non torna.".to_owned(),
        (Problem::Calculation { .. }, En) => "A calculated value does not match.".to_owned(),
    }
}

/// The sync status line: how many responses wait and why, in plain words.
pub fn sync_status(lang: UiLang, state: &SyncState, queued: usize) -> String {
    use UiLang::*;
    if *state == SyncState::Sending {
        return match lang {
            It => format!("Invio in corso ({queued} in attesa)…"),
            En => format!("Sending ({queued} waiting)…"),
        };
    }
    if queued == 0 {
        return match lang {
            It => "Tutto inviato".to_owned(),
            En => "All sent".to_owned(),
        };
    }
    match (state, lang) {
        (SyncState::Failed(SyncFailure::Offline), It) => {
            format!("{queued} in attesa, nessuna rete")
        }
        (SyncState::Failed(SyncFailure::Offline), En) => format!("{queued} waiting, no network"),
        (SyncState::Failed(SyncFailure::Server(code)), It) => {
            format!("{queued} in attesa: il server non risponde come dovrebbe (errore {code})")
        }
        (SyncState::Failed(SyncFailure::Server(code)), En) => {
            format!("{queued} waiting: the server is not answering properly (error {code})")
        }
        (SyncState::Failed(SyncFailure::BadReply), It) => {
            format!("{queued} in attesa: risposta del server incomprensibile")
        }
        (SyncState::Failed(SyncFailure::BadReply), En) => {
            format!("{queued} waiting: the server's reply could not be understood")
        }
        (SyncState::Failed(SyncFailure::Storage), It) => {
            format!("{queued} in attesa: la memoria del dispositivo non è scrivibile")
        }
        (SyncState::Failed(SyncFailure::Storage), En) => {
            format!("{queued} waiting: this device's storage cannot be written")
        }
        (_, It) => format!("{queued} in attesa di invio"),
        (_, En) => format!("{queued} waiting to be sent"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn italian_is_the_default_and_codes_round_trip() {
        assert_eq!(UiLang::default(), UiLang::It);
        for l in UiLang::ALL {
            assert_eq!(UiLang::parse(l.code()), Some(l));
        }
        assert_eq!(UiLang::parse("de"), None);
    }

    #[test]
    fn the_two_languages_differ() {
        assert_ne!(t(UiLang::It, Key::Next), t(UiLang::En, Key::Next));
        assert_eq!(page_of(UiLang::It, 2, 5), "Pagina 2 di 5");
        assert_eq!(page_of(UiLang::En, 2, 5), "Page 2 of 5");
    }

    #[test]
    fn problems_keep_their_limits() {
        let p = Problem::BelowMin { min: "11".into() };
        assert!(problem(UiLang::It, &p).contains("11"));
        assert!(problem(UiLang::En, &p).contains("11"));
    }

    #[test]
    fn status_says_why_answers_wait() {
        let off = SyncState::Failed(SyncFailure::Offline);
        assert_eq!(
            sync_status(UiLang::It, &off, 3),
            "3 in attesa, nessuna rete"
        );
        assert_eq!(sync_status(UiLang::It, &off, 0), "Tutto inviato");
        assert_eq!(sync_status(UiLang::En, &SyncState::Done, 0), "All sent");
        let server = SyncState::Failed(SyncFailure::Server(503));
        assert!(sync_status(UiLang::En, &server, 2).contains("503"));
    }
}

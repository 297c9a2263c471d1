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
    StorageFull,
    ExportOutbox,
    ExportHint,
    OpenStatus,
    StatusTitle,
    Waiting,
    SentToday,
    LastSync,
    LastError,
    Never,
    NoError,
    Persist,
    PersistAsking,
    PersistGranted,
    PersistDenied,
    PersistUnsupported,
    AttentionNone,
    ReasonConflict,
    ReasonInvalid,
    ReasonRejected,
    ReasonUnreadable,
    CollectorSaid,
    ClearData,
    ClearNothingUnsent,
    ClearConfirm,
    ClearExportFirst,
    Cancel,
    OpenImport,
    ImportTitle,
    ImportHint,
    ImportFile,
    ImportToken,
    ImportSubmit,
    Importing,
    ImportNoFile,
    ImportNoToken,
    ImportBadToken,
    ImportOffline,
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
        (AttentionBody, It) => {
            "Sono conservate su questo dispositivo e finiscono nel file esportato: mostrale a chi gestisce il server."
        }
        (AttentionBody, En) => {
            "They are kept on this device and go into the exported file: show them to whoever runs the server."
        }
        (Language, It) => "Lingua",
        (Language, En) => "Language",
        (StorageFull, It) => {
            "La memoria del dispositivo è piena: collegati alla rete per inviare le risposte o esporta la coda su file"
        }
        (StorageFull, En) => {
            "The device's storage is full: connect to the network to send the answers, or export the queue to a file"
        }
        (ExportOutbox, It) => "Salva le risposte in attesa in un file",
        (ExportOutbox, En) => "Save the waiting answers to a file",
        (ExportHint, It) => {
            "Se qui la rete non arriva mai, porta il file a chi gestisce il server: lo importa lui."
        }
        (ExportHint, En) => {
            "If there is never a network here, take the file to whoever runs the server to import."
        }
        (OpenStatus, It) => "Stato dell'invio e risposte da controllare",
        (OpenStatus, En) => "Sending status and answers to check",
        (StatusTitle, It) => "Stato del dispositivo",
        (StatusTitle, En) => "This device",
        (Waiting, It) => "In attesa di invio",
        (Waiting, En) => "Waiting to be sent",
        (SentToday, It) => "Inviate oggi",
        (SentToday, En) => "Sent today",
        (LastSync, It) => "Ultimo invio riuscito",
        (LastSync, En) => "Last successful sync",
        (LastError, It) => "Ultimo errore",
        (LastError, En) => "Last error",
        (Never, It) => "mai",
        (Never, En) => "never",
        (NoError, It) => "nessuno",
        (NoError, En) => "none",
        (Persist, It) => "Memoria",
        (Persist, En) => "Storage",
        (PersistAsking, It) => "sto chiedendo al browser di proteggere i dati…",
        (PersistAsking, En) => "asking the browser to protect the data…",
        (PersistGranted, It) => "protetta: il browser non cancellerà le risposte per fare spazio.",
        (PersistGranted, En) => "protected: the browser will not delete the answers to make room.",
        (PersistDenied, It) => {
            "non protetta: se il dispositivo si riempie il browser potrebbe cancellare i dati. Invia o esporta le risposte appena puoi."
        }
        (PersistDenied, En) => {
            "not protected: if the device fills up the browser may delete the data. Send or export the answers as soon as you can."
        }
        (PersistUnsupported, It) => "questo browser non permette di proteggerla.",
        (PersistUnsupported, En) => "this browser cannot protect it.",
        (AttentionNone, It) => "Nessuna risposta da controllare.",
        (AttentionNone, En) => "No answers to check.",
        (ReasonConflict, It) => {
            "Sul server c'è già una risposta diversa con lo stesso codice: questa non è stata salvata e nulla è stato sovrascritto."
        }
        (ReasonConflict, En) => {
            "The server already holds a different response under the same code: this one was not saved and nothing was overwritten."
        }
        (ReasonInvalid, It) => "Il server l'ha rifiutata perché non è valida.",
        (ReasonInvalid, En) => "The server refused it as not valid.",
        (ReasonRejected, It) => "Il server ha rifiutato l'invio.",
        (ReasonRejected, En) => "The server refused the submission.",
        (ReasonUnreadable, It) => "La copia salvata su questo dispositivo è illeggibile.",
        (ReasonUnreadable, En) => "The copy kept on this device cannot be read.",
        (CollectorSaid, It) => "Il server dice:",
        (CollectorSaid, En) => "The server says:",
        (ClearData, It) => "Cancella i dati dell'app da questo dispositivo",
        (ClearData, En) => "Clear the app's data from this device",
        (ClearNothingUnsent, It) => {
            "Non ci sono risposte da inviare. Verranno cancellati i questionari scaricati, il luogo scelto e le impostazioni."
        }
        (ClearNothingUnsent, En) => {
            "There are no answers left to send. The downloaded surveys, the chosen place and the settings will be deleted."
        }
        (ClearConfirm, It) => "Cancella",
        (ClearConfirm, En) => "Clear",
        (ClearExportFirst, It) => "Prima esporta su file",
        (ClearExportFirst, En) => "Export to a file first",
        (Cancel, It) => "Annulla",
        (Cancel, En) => "Cancel",
        (OpenImport, It) => "Importa un file di risposte (coordinatori)",
        (OpenImport, En) => "Import a file of answers (coordinators)",
        (ImportTitle, It) => "Importa un file di risposte",
        (ImportTitle, En) => "Import a file of answers",
        (ImportHint, It) => {
            "Per chi gestisce il server: scegli il file esportato da un dispositivo. Le risposte già presenti non vengono duplicate."
        }
        (ImportHint, En) => {
            "For whoever runs the server: choose the file exported from a device. Answers already there are not stored twice."
        }
        (ImportFile, It) => "File esportato (.json)",
        (ImportFile, En) => "Exported file (.json)",
        (ImportToken, It) => "Codice amministratore",
        (ImportToken, En) => "Admin token",
        (ImportSubmit, It) => "Importa",
        (ImportSubmit, En) => "Import",
        (Importing, It) => "Importazione in corso…",
        (Importing, En) => "Importing…",
        (ImportNoFile, It) => "Scegli prima un file.",
        (ImportNoFile, En) => "Choose a file first.",
        (ImportNoToken, It) => "Scrivi il codice amministratore.",
        (ImportNoToken, En) => "Enter the admin token.",
        (ImportBadToken, It) => "Codice amministratore non valido: nulla è stato importato.",
        (ImportBadToken, En) => "Wrong admin token: nothing was imported.",
        (ImportOffline, It) => "Il server non è raggiungibile: nulla è stato importato.",
        (ImportOffline, En) => "The server cannot be reached: nothing was imported.",
    }
}

/// A size in bytes, rounded for people (`12,3 kB` in Italian, `12.3 kB` in English).
pub fn bytes(lang: UiLang, n: f64) -> String {
    let (value, unit) = match n {
        n if n < 1_000.0 => return format!("{n:.0} B"),
        n if n < 1_000_000.0 => (n / 1_000.0, "kB"),
        n if n < 1_000_000_000.0 => (n / 1_000_000.0, "MB"),
        n => (n / 1_000_000_000.0, "GB"),
    };
    let text = format!("{value:.1} {unit}");
    match lang {
        UiLang::It => text.replace('.', ","),
        UiLang::En => text,
    }
}

/// What the queue takes and what is left (`navigator.storage.estimate()`).
pub fn storage_usage(lang: UiLang, queued: usize, outbox: u64, left: Option<f64>) -> String {
    let used = bytes(lang, outbox as f64);
    let left = left.map(|l| bytes(lang, l.max(0.0)));
    match (lang, left) {
        (UiLang::It, Some(l)) => {
            format!("{queued} risposte in attesa occupano {used}; spazio libero: {l}.")
        }
        (UiLang::It, None) => format!(
            "{queued} risposte in attesa occupano {used}; spazio libero: non indicato dal browser."
        ),
        (UiLang::En, Some(l)) => format!("{queued} waiting answers take {used}; space left: {l}."),
        (UiLang::En, None) => {
            format!("{queued} waiting answers take {used}; space left: not given by the browser.")
        }
    }
}

/// Why a sync failed, in plain words.
pub fn failure(lang: UiLang, f: SyncFailure) -> String {
    use UiLang::*;
    match (f, lang) {
        (SyncFailure::Offline, It) => "nessuna rete, o il server non risponde".to_owned(),
        (SyncFailure::Offline, En) => "no network, or the server does not answer".to_owned(),
        (SyncFailure::Server(code), It) => {
            format!("il server ha un problema (errore {code}): riprova più tardi")
        }
        (SyncFailure::Server(code), En) => {
            format!("the server has a problem (error {code}): it will be tried again")
        }
        (SyncFailure::BadReply, It) => {
            "la risposta del server è incomprensibile (una rete che chiede di accedere, o un filtro?)"
                .to_owned()
        }
        (SyncFailure::BadReply, En) => {
            "the server's reply cannot be understood (a network that needs a login, or a filter?)"
                .to_owned()
        }
        (SyncFailure::Storage, It) => "la memoria del dispositivo è piena".to_owned(),
        (SyncFailure::Storage, En) => "this device's storage is full".to_owned(),
    }
}

/// The warning before clearing the app's data, when answers are not on the collector yet.
pub fn clear_unsent(lang: UiLang, n: usize) -> String {
    match (lang, n) {
        (UiLang::It, 1) => {
            "Attenzione: 1 risposta non è ancora sul server e andrebbe persa per sempre. Esportala prima su file.".to_owned()
        }
        (UiLang::It, n) => format!(
            "Attenzione: {n} risposte non sono ancora sul server e andrebbero perse per sempre. Esportale prima su file."
        ),
        (UiLang::En, 1) => {
            "Warning: 1 answer is not on the server yet and would be lost for good. Export it to a file first.".to_owned()
        }
        (UiLang::En, n) => format!(
            "Warning: {n} answers are not on the server yet and would be lost for good. Export them to a file first."
        ),
    }
}

/// A survey's last error when the collector refused some of its answers.
pub fn refused_here(lang: UiLang, n: usize) -> String {
    match (lang, n) {
        (UiLang::It, 1) => "1 risposta rifiutata dal server: vedi sotto.".to_owned(),
        (UiLang::It, n) => format!("{n} risposte rifiutate dal server: vedi sotto."),
        (UiLang::En, 1) => "1 response refused by the server: see below.".to_owned(),
        (UiLang::En, n) => format!("{n} responses refused by the server: see below."),
    }
}

/// The button that clears despite unsent answers says what it costs.
pub fn clear_anyway(lang: UiLang, n: usize) -> String {
    match lang {
        UiLang::It => format!("Cancella comunque ({n} perse)"),
        UiLang::En => format!("Clear anyway ({n} lost)"),
    }
}

/// What an import did.
pub fn import_counts(
    lang: UiLang,
    stored: u64,
    duplicate: u64,
    conflict: u64,
    invalid: u64,
) -> String {
    match lang {
        UiLang::It => format!(
            "Importate: {stored} nuove, {duplicate} già presenti, {conflict} in conflitto, {invalid} non valide."
        ),
        UiLang::En => format!(
            "Imported: {stored} new, {duplicate} already there, {conflict} in conflict, {invalid} not valid."
        ),
    }
}

/// An import the collector refused as a whole.
pub fn import_refused(lang: UiLang, message: &str) -> String {
    match lang {
        UiLang::It => format!("File rifiutato, nulla è stato importato: {message}"),
        UiLang::En => format!("File refused, nothing was imported: {message}"),
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
    fn sizes_read_naturally() {
        assert_eq!(bytes(UiLang::It, 512.0), "512 B");
        assert_eq!(bytes(UiLang::It, 12_345.0), "12,3 kB");
        assert_eq!(bytes(UiLang::En, 1_250_000_000.0), "1.2 GB");
        let usage = storage_usage(UiLang::En, 3, 4_000, None);
        assert!(usage.contains("4.0 kB") && usage.contains("not given"));
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

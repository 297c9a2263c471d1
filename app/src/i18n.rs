//! The app's own interface strings, in Italian (the default), English and Arabic.
//!
//! Survey texts come with the survey; these are the words around them.

use voci_core::Problem;

use crate::kiosk::SetupError;
use crate::sync::{SyncFailure, SyncState};

pub use crate::lang::UiLang;

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
    ClearOpenDrafts,
    ClearConfirm,
    ClearExportFirst,
    Cancel,
    OpenResults,
    FocusGroups,
    FocusNew,
    FocusResume,
    FocusOffline,
    KioskOpen,
    KioskSetupTitle,
    KioskSetupHint,
    Group,
    GroupHint,
    Survey,
    ChooseSurvey,
    SurveyRequired,
    StartLanguage,
    Pin,
    PinAgain,
    PinBad,
    PinMismatch,
    GroupTooLong,
    KioskStart,
    ChooseLanguage,
    Start,
    SurveyUnavailable,
    ConsentTitle,
    ConsentYes,
    ConsentNo,
    WithdrawAsk,
    WithdrawYes,
    WithdrawNo,
    KioskThanksBody,
    WorkerArea,
    PinPromptTitle,
    PinPromptHint,
    WorkerPin,
    Unlock,
    BackToSurvey,
    SessionTitle,
    Completed,
    InProgress,
    Resume,
    EndSession,
    RankHint,
    RankUp,
    RankDown,
    RankKeep,
    EnrolTitle,
    EnrolIntro,
    EnrolCode,
    EnrolName,
    EnrolSubmit,
    EnrolBadCode,
    EnrolRefused,
    EnrolTooMany,
    EnrolOffline,
    EnrolFailed,
    EnrolledAs,
    EnrolNone,
    EnrolRevoked,
    EnrolSurveys,
    EnrolAgain,
}

/// The text for `key` in `lang`.
pub fn t(lang: UiLang, key: Key) -> &'static str {
    use Key::*;
    use UiLang::*;
    match (key, lang) {
        (AppTitle, _) => "Voci",
        (Loading, It) => "Caricamento dei questionari…",
        (Loading, En) => "Loading the surveys…",
        (Loading, Ar) => "جارٍ تحميل الاستبيانات…",
        (CatalogMissing, It) => "Collegati a una rete una volta per scaricare i questionari.",
        (CatalogMissing, En) => "Connect once to download the surveys.",
        (CatalogMissing, Ar) => "اتصل بالشبكة مرة واحدة لتنزيل الاستبيانات.",
        (Retry, It) => "Riprova",
        (Retry, En) => "Try again",
        (Retry, Ar) => "أعد المحاولة",
        (OfflineCopy, It) => "Senza rete: uso i questionari scaricati l'ultima volta.",
        (OfflineCopy, En) => "No network: using the surveys downloaded last time.",
        (OfflineCopy, Ar) => "لا توجد شبكة: نستخدم الاستبيانات التي نُزِّلت في المرة السابقة.",
        (Site, It) => "Luogo della rilevazione",
        (Site, En) => "Where you are collecting",
        (Site, Ar) => "مكان جمع البيانات",
        (ChooseSite, It) => "— scegli il luogo —",
        (ChooseSite, En) => "— choose the place —",
        (ChooseSite, Ar) => "— اختر المكان —",
        (SiteRequired, It) => "Scegli prima il luogo della rilevazione.",
        (SiteRequired, En) => "Choose the place first.",
        (SiteRequired, Ar) => "اختر المكان أولاً.",
        (Surveys, It) => "Questionari",
        (Surveys, En) => "Surveys",
        (Surveys, Ar) => "الاستبيانات",
        (NoSurveys, It) => "Nessun questionario disponibile.",
        (NoSurveys, En) => "No surveys available.",
        (NoSurveys, Ar) => "لا توجد استبيانات متاحة.",
        (Back, It) => "Indietro",
        (Back, En) => "Back",
        (Back, Ar) => "السابق",
        (Next, It) => "Avanti",
        (Next, En) => "Next",
        (Next, Ar) => "التالي",
        (Submit, It) => "Invia",
        (Submit, En) => "Submit",
        (Submit, Ar) => "إرسال",
        (Leave, It) => "Esci",
        (Leave, En) => "Leave",
        (Leave, Ar) => "خروج",
        (ConfirmLeave, It) => "Uscire? Le risposte di questa persona verranno cancellate.",
        (ConfirmLeave, En) => "Leave? The answers of this respondent will be discarded.",
        (ConfirmLeave, Ar) => "هل تريد الخروج؟ ستُحذف إجابات هذا الشخص.",
        (Thanks, It) => "Grazie!",
        (Thanks, En) => "Thank you!",
        (Thanks, Ar) => "شكراً لك!",
        (ThanksBody, It) => "Le risposte sono salvate su questo dispositivo.",
        (ThanksBody, En) => "The answers are saved on this device.",
        (ThanksBody, Ar) => "حُفظت الإجابات على هذا الجهاز.",
        (NextRespondent, It) => "Nuova persona",
        (NextRespondent, En) => "Next respondent",
        (NextRespondent, Ar) => "الشخص التالي",
        (BackHome, It) => "Torna all'inizio",
        (BackHome, En) => "Back to the start",
        (BackHome, Ar) => "العودة إلى البداية",
        (Queued, It) => "Da inviare",
        (Queued, En) => "To send",
        (Queued, Ar) => "في انتظار الإرسال",
        (SyncNow, It) => "Invia ora",
        (SyncNow, En) => "Send now",
        (SyncNow, Ar) => "أرسل الآن",
        (Attention, It) => "Risposte rifiutate dal server, da controllare:",
        (Attention, En) => "Responses the server refused, to be checked:",
        (Attention, Ar) => "إجابات رفضها الخادم، يجب مراجعتها:",
        (AttentionBody, It) => {
            "Sono conservate su questo dispositivo e finiscono nel file esportato: mostrale a chi gestisce il server."
        }
        (AttentionBody, En) => {
            "They are kept on this device and go into the exported file: show them to whoever runs the server."
        }
        (AttentionBody, Ar) => {
            "إنها محفوظة على هذا الجهاز وتُضاف إلى الملف المُصدَّر: اعرضها على المسؤول عن الخادم."
        }
        (Language, It) => "Lingua",
        (Language, En) => "Language",
        (Language, Ar) => "اللغة",
        (StorageFull, It) => {
            "La memoria del dispositivo è piena: collegati alla rete per inviare le risposte o esporta la coda su file"
        }
        (StorageFull, En) => {
            "The device's storage is full: connect to the network to send the answers, or export the queue to a file"
        }
        (StorageFull, Ar) => {
            "ذاكرة الجهاز ممتلئة: اتصل بالشبكة لإرسال الإجابات، أو صدِّر قائمة الانتظار إلى ملف"
        }
        (ExportOutbox, It) => "Salva le risposte in attesa in un file",
        (ExportOutbox, En) => "Save the waiting answers to a file",
        (ExportOutbox, Ar) => "احفظ الإجابات المنتظرة في ملف",
        (ExportHint, It) => {
            "Se qui la rete non arriva mai, porta il file a chi gestisce il server: lo importa lui."
        }
        (ExportHint, En) => {
            "If there is never a network here, take the file to whoever runs the server to import."
        }
        (ExportHint, Ar) => "إذا لم تكن هنا شبكة أبداً، فخذ الملف إلى المسؤول عن الخادم ليستورده.",
        (OpenStatus, It) => "Stato dell'invio e risposte da controllare",
        (OpenStatus, En) => "Sending status and answers to check",
        (OpenStatus, Ar) => "حالة الإرسال والإجابات التي يجب مراجعتها",
        (StatusTitle, It) => "Stato del dispositivo",
        (StatusTitle, En) => "This device",
        (StatusTitle, Ar) => "هذا الجهاز",
        (Waiting, It) => "In attesa di invio",
        (Waiting, En) => "Waiting to be sent",
        (Waiting, Ar) => "في انتظار الإرسال",
        (SentToday, It) => "Inviate oggi",
        (SentToday, En) => "Sent today",
        (SentToday, Ar) => "أُرسلت اليوم",
        (LastSync, It) => "Ultimo invio riuscito",
        (LastSync, En) => "Last successful sync",
        (LastSync, Ar) => "آخر إرسال ناجح",
        (LastError, It) => "Ultimo errore",
        (LastError, En) => "Last error",
        (LastError, Ar) => "آخر خطأ",
        (Never, It) => "mai",
        (Never, En) => "never",
        (Never, Ar) => "أبداً",
        (NoError, It) => "nessuno",
        (NoError, En) => "none",
        (NoError, Ar) => "لا يوجد",
        (Persist, It) => "Memoria",
        (Persist, En) => "Storage",
        (Persist, Ar) => "الذاكرة",
        (PersistAsking, It) => "sto chiedendo al browser di proteggere i dati…",
        (PersistAsking, En) => "asking the browser to protect the data…",
        (PersistAsking, Ar) => "نطلب من المتصفح حماية البيانات…",
        (PersistGranted, It) => "protetta: il browser non cancellerà le risposte per fare spazio.",
        (PersistGranted, En) => "protected: the browser will not delete the answers to make room.",
        (PersistGranted, Ar) => "محمية: لن يحذف المتصفح الإجابات لتوفير مساحة.",
        (PersistDenied, It) => {
            "non protetta: se il dispositivo si riempie il browser potrebbe cancellare i dati. Invia o esporta le risposte appena puoi."
        }
        (PersistDenied, En) => {
            "not protected: if the device fills up the browser may delete the data. Send or export the answers as soon as you can."
        }
        (PersistDenied, Ar) => {
            "غير محمية: إذا امتلأ الجهاز فقد يحذف المتصفح البيانات. أرسل الإجابات أو صدِّرها في أقرب وقت."
        }
        (PersistUnsupported, It) => "questo browser non permette di proteggerla.",
        (PersistUnsupported, En) => "this browser cannot protect it.",
        (PersistUnsupported, Ar) => "هذا المتصفح لا يسمح بحمايتها.",
        (AttentionNone, It) => "Nessuna risposta da controllare.",
        (AttentionNone, En) => "No answers to check.",
        (AttentionNone, Ar) => "لا توجد إجابات للمراجعة.",
        (ReasonConflict, It) => {
            "Sul server c'è già una risposta diversa con lo stesso codice: questa non è stata salvata e nulla è stato sovrascritto."
        }
        (ReasonConflict, En) => {
            "The server already holds a different response under the same code: this one was not saved and nothing was overwritten."
        }
        (ReasonConflict, Ar) => {
            "يوجد على الخادم رد مختلف بالرمز نفسه: لم يُحفظ هذا الرد ولم يُستبدل أي شيء."
        }
        (ReasonInvalid, It) => "Il server l'ha rifiutata perché non è valida.",
        (ReasonInvalid, En) => "The server refused it as not valid.",
        (ReasonInvalid, Ar) => "رفضه الخادم لأنه غير صالح.",
        (ReasonRejected, It) => "Il server ha rifiutato l'invio.",
        (ReasonRejected, En) => "The server refused the submission.",
        (ReasonRejected, Ar) => "رفض الخادم الإرسال.",
        (ReasonUnreadable, It) => "La copia salvata su questo dispositivo è illeggibile.",
        (ReasonUnreadable, En) => "The copy kept on this device cannot be read.",
        (ReasonUnreadable, Ar) => "تعذّرت قراءة النسخة المحفوظة على هذا الجهاز.",
        (CollectorSaid, It) => "Il server dice:",
        (CollectorSaid, En) => "The server says:",
        (CollectorSaid, Ar) => "يقول الخادم:",
        (ClearData, It) => "Cancella i dati dell'app da questo dispositivo",
        (ClearData, En) => "Clear the app's data from this device",
        (ClearData, Ar) => "امسح بيانات التطبيق من هذا الجهاز",
        (ClearNothingUnsent, It) => {
            "Non ci sono risposte da inviare. Verranno cancellati i questionari scaricati, il luogo scelto e le impostazioni."
        }
        (ClearNothingUnsent, En) => {
            "There are no answers left to send. The downloaded surveys, the chosen place and the settings will be deleted."
        }
        (ClearNothingUnsent, Ar) => {
            "لا توجد إجابات تنتظر الإرسال. ستُحذف الاستبيانات المُنزَّلة والمكان المختار والإعدادات."
        }
        (ClearOpenDrafts, It) => {
            "Andrebbe perso anche ciò che è in corso: un questionario a metà o un focus group non ancora concluso. Concludilo prima, così entra nella coda."
        }
        (ClearOpenDrafts, En) => {
            "What is in progress would be lost too: a questionnaire half answered or a focus group not yet ended. Finish it first, so that it joins the queue."
        }
        (ClearOpenDrafts, Ar) => {
            "سيضيع أيضاً ما هو قيد الإنجاز: استبيان لم يكتمل أو مجموعة نقاش لم تُختتم بعد. أكمله أولاً لينضم إلى قائمة الإرسال."
        }
        (ClearConfirm, It) => "Cancella",
        (ClearConfirm, En) => "Clear",
        (ClearConfirm, Ar) => "امسح",
        (ClearExportFirst, It) => "Prima esporta su file",
        (ClearExportFirst, En) => "Export to a file first",
        (ClearExportFirst, Ar) => "صدِّر إلى ملف أولاً",
        (Cancel, It) => "Annulla",
        (Cancel, En) => "Cancel",
        (Cancel, Ar) => "إلغاء",
        (OpenResults, It) => "Coordinatori: risultati",
        (OpenResults, En) => "Coordinators: results",
        (OpenResults, Ar) => "المنسقون: النتائج",
        (FocusGroups, It) => "Focus group",
        (FocusGroups, En) => "Focus groups",
        (FocusGroups, Ar) => "مجموعات النقاش",
        (FocusNew, It) => "Nuovo focus group",
        (FocusNew, En) => "New focus group",
        (FocusNew, Ar) => "مجموعة نقاش جديدة",
        (FocusResume, It) => "Riprendi il focus group in corso",
        (FocusResume, En) => "Resume the focus group in progress",
        (FocusResume, Ar) => "استئناف مجموعة النقاش الجارية",
        (FocusOffline, It) => {
            "Le schermate dei focus group vanno aperte una volta con la connessione: poi funzionano anche senza. Riprova quando sei in linea."
        }
        (FocusOffline, En) => {
            "The focus-group screens need to be opened once while online: after that they work offline too. Try again when you are online."
        }
        (FocusOffline, Ar) => {
            "يجب فتح شاشات مجموعات النقاش مرة واحدة أثناء الاتصال بالإنترنت: بعدها تعمل دون اتصال أيضاً. حاول مجدداً عندما تكون متصلاً."
        }
        (KioskOpen, It) => "Avvia una sessione in classe (modalità chiosco)",
        (KioskOpen, En) => "Start a classroom session (kiosk mode)",
        (KioskOpen, Ar) => "ابدأ جلسة في الصف (وضع الكشك)",
        (KioskSetupTitle, It) => "Sessione in classe",
        (KioskSetupTitle, En) => "Classroom session",
        (KioskSetupTitle, Ar) => "جلسة في الصف",
        (KioskSetupHint, It) => {
            "Scegli luogo, gruppo e questionario, poi un PIN: ti servirà per uscire dalla sessione. Poi passa il tablet: ogni persona risponde e la successiva riparte da zero."
        }
        (KioskSetupHint, En) => {
            "Choose the place, the group and the survey, then a PIN: you will need it to leave the session. Then hand the tablet over: each person answers, and the next one starts blank."
        }
        (KioskSetupHint, Ar) => {
            "اختر المكان والمجموعة والاستبيان، ثم رمزاً سرياً: ستحتاج إليه للخروج من الجلسة. بعد ذلك سلِّم الجهاز: يجيب كل شخص، ويبدأ الشخص التالي باستبيان فارغ."
        }
        (Group, It) => "Classe o gruppo",
        (Group, En) => "Class or group",
        (Group, Ar) => "الصف أو المجموعة",
        (GroupHint, It) => "Per esempio 3B o Gruppo 1: viene registrato in ogni risposta.",
        (GroupHint, En) => "For example 3B or Group 1: it is recorded with every response.",
        (GroupHint, Ar) => "مثلاً 3B أو المجموعة 1: يُسجَّل مع كل إجابة.",
        (Survey, It) => "Questionario",
        (Survey, En) => "Survey",
        (Survey, Ar) => "الاستبيان",
        (ChooseSurvey, It) => "— scegli il questionario —",
        (ChooseSurvey, En) => "— choose the survey —",
        (ChooseSurvey, Ar) => "— اختر الاستبيان —",
        (SurveyRequired, It) => "Scegli il questionario.",
        (SurveyRequired, En) => "Choose the survey.",
        (SurveyRequired, Ar) => "اختر الاستبيان.",
        (StartLanguage, It) => "Lingua iniziale",
        (StartLanguage, En) => "Starting language",
        (StartLanguage, Ar) => "لغة البداية",
        (Pin, It) => "PIN per uscire dalla sessione (da 4 a 12 cifre)",
        (Pin, En) => "PIN to leave the session (4 to 12 digits)",
        (Pin, Ar) => "الرمز السري للخروج من الجلسة (من 4 إلى 12 رقماً)",
        (PinAgain, It) => "Ripeti il PIN",
        (PinAgain, En) => "Repeat the PIN",
        (PinAgain, Ar) => "أعد كتابة الرمز السري",
        (PinBad, It) => "Il PIN deve avere da 4 a 12 cifre, solo numeri.",
        (PinBad, En) => "The PIN must have 4 to 12 digits, numbers only.",
        (PinBad, Ar) => "يجب أن يتكوّن الرمز السري من 4 إلى 12 رقماً، أرقام فقط.",
        (PinMismatch, It) => "I due PIN non coincidono.",
        (PinMismatch, En) => "The two PINs are not the same.",
        (PinMismatch, Ar) => "الرمزان السريان غير متطابقين.",
        (GroupTooLong, It) => {
            "Il nome della classe o del gruppo è troppo lungo (al massimo 60 caratteri)."
        }
        (GroupTooLong, En) => "The class or group name is too long (60 characters at most).",
        (GroupTooLong, Ar) => "اسم الصف أو المجموعة طويل جداً (60 حرفاً على الأكثر).",
        (KioskStart, It) => "Avvia la sessione",
        (KioskStart, En) => "Start the session",
        (KioskStart, Ar) => "ابدأ الجلسة",
        (ChooseLanguage, It) => "Scegli la lingua",
        (ChooseLanguage, En) => "Choose your language",
        (ChooseLanguage, Ar) => "اختر لغتك",
        (Start, It) => "Inizia",
        (Start, En) => "Start",
        (Start, Ar) => "ابدأ",
        (SurveyUnavailable, It) => {
            "Questo questionario non è disponibile su questo dispositivo: chiama l'operatore."
        }
        (SurveyUnavailable, En) => {
            "This survey is not available on this device: please call the youth worker."
        }
        (SurveyUnavailable, Ar) => "هذا الاستبيان غير متاح على هذا الجهاز: يُرجى مناداة المشرف.",
        (ConsentTitle, It) => "Prima di iniziare",
        (ConsentTitle, En) => "Before you start",
        (ConsentTitle, Ar) => "قبل أن تبدأ",
        (ConsentYes, It) => "Sì, partecipo",
        (ConsentYes, En) => "Yes, I agree to take part",
        (ConsentYes, Ar) => "نعم، أوافق على المشاركة",
        (ConsentNo, It) => "No, non partecipo",
        (ConsentNo, En) => "No, I do not want to take part",
        (ConsentNo, Ar) => "لا، لا أريد المشاركة",
        (WithdrawAsk, It) => {
            "Vuoi smettere? Le tue risposte verranno cancellate e non saranno inviate."
        }
        (WithdrawAsk, En) => "Do you want to stop? Your answers will be deleted and not sent.",
        (WithdrawAsk, Ar) => "هل تريد التوقف؟ ستُحذف إجاباتك ولن تُرسَل.",
        (WithdrawYes, It) => "Sì, smetto e cancello le mie risposte",
        (WithdrawYes, En) => "Yes, stop and delete my answers",
        (WithdrawYes, Ar) => "نعم، أتوقف وأحذف إجاباتي",
        (WithdrawNo, It) => "No, continuo",
        (WithdrawNo, En) => "No, I want to go on",
        (WithdrawNo, Ar) => "لا، أريد المتابعة",
        (KioskThanksBody, It) => "Le tue risposte sono state salvate. Ora puoi passare il tablet.",
        (KioskThanksBody, En) => "Your answers are saved. You can now hand the tablet on.",
        (KioskThanksBody, Ar) => "حُفظت إجاباتك. يمكنك الآن تسليم الجهاز.",
        (WorkerArea, It) => "Operatore",
        (WorkerArea, En) => "Youth worker",
        (WorkerArea, Ar) => "المشرف",
        (PinPromptTitle, It) => "Area dell'operatore",
        (PinPromptTitle, En) => "Youth worker's area",
        (PinPromptTitle, Ar) => "منطقة المشرف",
        (PinPromptHint, It) => {
            "Per uscire dalla sessione o vederne lo stato serve il PIN scelto all'avvio."
        }
        (PinPromptHint, En) => {
            "Leaving the session or seeing how it goes needs the PIN chosen at the start."
        }
        (PinPromptHint, Ar) => {
            "للخروج من الجلسة أو الاطلاع على حالتها يلزم الرمز السري الذي اختير في البداية."
        }
        (WorkerPin, It) => "PIN dell'operatore",
        (WorkerPin, En) => "Youth worker's PIN",
        (WorkerPin, Ar) => "الرمز السري للمشرف",
        (Unlock, It) => "Entra",
        (Unlock, En) => "Open",
        (Unlock, Ar) => "دخول",
        (BackToSurvey, It) => "Torna al questionario",
        (BackToSurvey, En) => "Back to the questionnaire",
        (BackToSurvey, Ar) => "العودة إلى الاستبيان",
        (SessionTitle, It) => "Sessione in corso",
        (SessionTitle, En) => "Session in progress",
        (SessionTitle, Ar) => "الجلسة الجارية",
        (Completed, It) => "Questionari completati in questa sessione",
        (Completed, En) => "Questionnaires completed in this session",
        (Completed, Ar) => "الاستبيانات المكتملة في هذه الجلسة",
        (InProgress, It) => {
            "Una persona sta rispondendo: se chiudi la sessione, le sue risposte verranno cancellate."
        }
        (InProgress, En) => "Someone is answering: ending the session deletes their answers.",
        (InProgress, Ar) => "هناك شخص يجيب الآن: إنهاء الجلسة يحذف إجاباته.",
        (Resume, It) => "Riprendi la sessione",
        (Resume, En) => "Resume the session",
        (Resume, Ar) => "استأنف الجلسة",
        (EndSession, It) => "Chiudi la sessione",
        (EndSession, En) => "End the session",
        (EndSession, Ar) => "أنهِ الجلسة",
        (RankHint, It) => "Metti in ordine con i pulsanti: il più importante in alto.",
        (RankHint, En) => "Put them in order with the buttons: the most important at the top.",
        (RankHint, Ar) => "رتّبها باستخدام الأزرار: الأهم في الأعلى.",
        (RankUp, It) => "Sposta su",
        (RankUp, En) => "Move up",
        (RankUp, Ar) => "انقل إلى الأعلى",
        (RankDown, It) => "Sposta giù",
        (RankDown, En) => "Move down",
        (RankDown, Ar) => "انقل إلى الأسفل",
        (RankKeep, It) => "Va bene quest'ordine",
        (RankKeep, En) => "This order is fine",
        (RankKeep, Ar) => "هذا الترتيب مناسب",
        (EnrolTitle, It) => "Registra questo tablet",
        (EnrolTitle, En) => "Enrol this tablet",
        (EnrolTitle, Ar) => "تسجيل هذا الجهاز اللوحي",
        (EnrolIntro, It) => {
            "Alcuni questionari accettano risposte solo da tablet registrati. Scrivi il codice che ti ha dato il coordinatore, o apri il suo link."
        }
        (EnrolIntro, En) => {
            "Some surveys take answers only from enrolled tablets. Type the code the coordinator gave you, or open their link."
        }
        (EnrolIntro, Ar) => {
            "بعض الاستبيانات لا تقبل الإجابات إلا من الأجهزة اللوحية المسجّلة. اكتب الرمز الذي أعطاك إياه المنسّق، أو افتح الرابط الذي أرسله."
        }
        (EnrolCode, It) => "Codice di registrazione",
        (EnrolCode, En) => "Enrolment code",
        (EnrolCode, Ar) => "رمز التسجيل",
        (EnrolName, It) => "Nome di questo tablet (facoltativo)",
        (EnrolName, En) => "Name of this tablet (optional)",
        (EnrolName, Ar) => "اسم هذا الجهاز اللوحي (اختياري)",
        (EnrolSubmit, It) => "Registra",
        (EnrolSubmit, En) => "Enrol",
        (EnrolSubmit, Ar) => "سجّل",
        (EnrolBadCode, It) => {
            "Scrivi il codice: lettere e numeri; maiuscole, spazi e trattini non contano."
        }
        (EnrolBadCode, En) => {
            "Type the code: letters and numbers; case, spaces and dashes do not matter."
        }
        (EnrolBadCode, Ar) => {
            "اكتب الرمز: حروف وأرقام؛ لا تهمّ الأحرف الكبيرة ولا المسافات ولا الشرطات."
        }
        (EnrolRefused, It) => {
            "Questo codice non funziona: sbagliato, scaduto, revocato o già usato. Chiedi un nuovo codice al coordinatore."
        }
        (EnrolRefused, En) => {
            "This code does not work: mistyped, expired, revoked or already used. Ask the coordinator for a new one."
        }
        (EnrolRefused, Ar) => {
            "هذا الرمز لا يعمل: خاطئ أو منتهي الصلاحية أو ملغى أو مستخدم من قبل. اطلب رمزاً جديداً من المنسّق."
        }
        (EnrolTooMany, It) => "Troppi tentativi: aspetta qualche minuto e riprova.",
        (EnrolTooMany, En) => "Too many attempts: wait a few minutes and try again.",
        (EnrolTooMany, Ar) => "محاولات كثيرة جداً: انتظر بضع دقائق ثم أعد المحاولة.",
        (EnrolOffline, It) => {
            "Nessuna connessione al server: per registrare il tablet serve la rete."
        }
        (EnrolOffline, En) => "No connection to the server: enrolling needs the network.",
        (EnrolOffline, Ar) => "لا يوجد اتصال بالخادم: التسجيل يحتاج إلى الشبكة.",
        (EnrolFailed, It) => "Il server non riesce a registrare il tablet ora: riprova più tardi.",
        (EnrolFailed, En) => "The server cannot enrol this tablet now: try again later.",
        (EnrolFailed, Ar) => "لا يستطيع الخادم تسجيل هذا الجهاز الآن: أعد المحاولة لاحقاً.",
        (EnrolledAs, It) => "Tablet registrato come",
        (EnrolledAs, En) => "Tablet enrolled as",
        (EnrolledAs, Ar) => "الجهاز اللوحي مسجّل باسم",
        (EnrolNone, It) => {
            "Questo tablet non è registrato: può inviare solo i questionari aperti a tutti."
        }
        (EnrolNone, En) => {
            "This tablet is not enrolled: it can send only surveys open to everyone."
        }
        (EnrolNone, Ar) => {
            "هذا الجهاز اللوحي غير مسجّل: يمكنه إرسال الاستبيانات المفتوحة للجميع فقط."
        }
        (EnrolRevoked, It) => {
            "Questo tablet deve essere registrato di nuovo: la registrazione è stata revocata. Le risposte restano sul tablet; chiedi un nuovo codice al coordinatore."
        }
        (EnrolRevoked, En) => {
            "This tablet must be enrolled again: its enrolment was revoked. The answers stay on the tablet; ask the coordinator for a new code."
        }
        (EnrolRevoked, Ar) => {
            "يجب تسجيل هذا الجهاز اللوحي من جديد: أُلغي تسجيله. تبقى الإجابات على الجهاز؛ اطلب رمزاً جديداً من المنسّق."
        }
        (EnrolSurveys, It) => "Questionari",
        (EnrolSurveys, En) => "Surveys",
        (EnrolSurveys, Ar) => "الاستبيانات",
        (EnrolAgain, It) => "Registra di nuovo",
        (EnrolAgain, En) => "Enrol again",
        (EnrolAgain, Ar) => "سجّل من جديد",
    }
}

/// A size in bytes, rounded for people (`12,3 kB` in Italian, `12.3 kB` in English). Whole
/// numbers only: float formatting with a precision would add its own code to the download.
pub fn bytes(lang: UiLang, n: f64) -> String {
    let n = n.max(0.0) as u64;
    let (scale, unit) = match n {
        0..1_000 => return format!("{n} B"),
        1_000..1_000_000 => (1_000, "kB"),
        1_000_000..1_000_000_000 => (1_000_000, "MB"),
        _ => (1_000_000_000, "GB"),
    };
    // Tenths, rounded half up.
    let tenths = (n * 10 + scale / 2) / scale;
    let point = match lang {
        UiLang::It => ',',
        UiLang::En | UiLang::Ar => '.',
    };
    format!("{}{point}{} {unit}", tenths / 10, tenths % 10)
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
        (UiLang::Ar, Some(l)) => {
            format!("الإجابات المنتظرة ({queued}) تشغل {used}؛ المساحة المتبقية: {l}.")
        }
        (UiLang::Ar, None) => {
            format!("الإجابات المنتظرة ({queued}) تشغل {used}؛ المساحة المتبقية: لا يذكرها المتصفح.")
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
        (SyncFailure::Offline, Ar) => "لا توجد شبكة، أو الخادم لا يستجيب".to_owned(),
        (SyncFailure::Server(code), Ar) => {
            format!("لدى الخادم مشكلة (الخطأ {code}): ستُعاد المحاولة لاحقاً")
        }
        (SyncFailure::BadReply, Ar) => {
            "تعذّر فهم رد الخادم (شبكة تطلب تسجيل الدخول، أو مُرشِّح؟)".to_owned()
        }
        (SyncFailure::Storage, Ar) => "ذاكرة هذا الجهاز ممتلئة".to_owned(),
        (SyncFailure::Enrol, It) => {
            "questo tablet deve essere registrato (di nuovo): Stato del dispositivo → Registra"
                .to_owned()
        }
        (SyncFailure::Enrol, En) => {
            "this tablet must be enrolled (again): This device → Enrol".to_owned()
        }
        (SyncFailure::Enrol, Ar) => {
            "يجب تسجيل هذا الجهاز اللوحي (من جديد): هذا الجهاز ← سجّل".to_owned()
        }
        (SyncFailure::Busy(secs), It) => {
            format!("il server chiede di aspettare: nuovo invio tra {secs} secondi")
        }
        (SyncFailure::Busy(secs), En) => {
            format!("the server asks to wait: sending again in {secs} seconds")
        }
        (SyncFailure::Busy(secs), Ar) => {
            format!("يطلب الخادم الانتظار: ستُعاد المحاولة بعد {secs} ثانية")
        }
    }
}

/// The warning before clearing the app's data, when answers are not on the collector yet.
pub fn clear_unsent(lang: UiLang, n: usize) -> String {
    match (lang, n) {
        (UiLang::It, 1) => {
            "Attenzione: 1 risposta (o sessione di focus group) non è ancora sul server e andrebbe persa per sempre. Esportala prima su file.".to_owned()
        }
        (UiLang::It, n) => format!(
            "Attenzione: {n} risposte (o sessioni di focus group) non sono ancora sul server e andrebbero perse per sempre. Esportale prima su file."
        ),
        (UiLang::En, 1) => {
            "Warning: 1 answer (or focus-group session) is not on the server yet and would be lost for good. Export it to a file first.".to_owned()
        }
        (UiLang::En, n) => format!(
            "Warning: {n} answers (or focus-group sessions) are not on the server yet and would be lost for good. Export them to a file first."
        ),
        (UiLang::Ar, 1) => {
            "تنبيه: هناك إجابة واحدة (أو جلسة مجموعة نقاش) لم تصل إلى الخادم بعد وستضيع نهائياً. صدِّرها إلى ملف أولاً.".to_owned()
        }
        (UiLang::Ar, n) => format!(
            "تنبيه: هناك إجابات أو جلسات مجموعات نقاش لم تصل إلى الخادم بعد ({n}) وستضيع نهائياً. صدِّرها إلى ملف أولاً."
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
        (UiLang::Ar, 1) => "رفض الخادم إجابة واحدة: انظر أدناه.".to_owned(),
        (UiLang::Ar, n) => format!("إجابات رفضها الخادم: {n}. انظر أدناه."),
    }
}

/// The button that clears despite unsent answers says what it costs.
pub fn clear_anyway(lang: UiLang, n: usize) -> String {
    match lang {
        UiLang::It => format!("Cancella comunque ({n} perse)"),
        UiLang::En => format!("Clear anyway ({n} lost)"),
        UiLang::Ar => format!("امسح على أي حال (ستضيع {n})"),
    }
}

/// A repeat's instance, for its legend: "Membro 2 di 3".
pub fn instance_of(lang: UiLang, name: &str, n: usize, of: usize) -> String {
    match lang {
        UiLang::It => format!("{name} {n} di {of}"),
        UiLang::En => format!("{name} {n} of {of}"),
        UiLang::Ar => format!("{name} {n} من {of}"),
    }
}

/// A repeat's buttons and the question before a removal: "Aggiungi: Membro",
/// "Rimuovi: Membro 2", "Rimuovere Membro 2 e le sue risposte?".
pub fn instance_action(lang: UiLang, action: InstanceAction, name: &str) -> String {
    use InstanceAction::{Add, Confirm, Remove};
    match (action, lang) {
        (Add, UiLang::It) => format!("Aggiungi: {name}"),
        (Add, UiLang::En) => format!("Add another: {name}"),
        (Add, UiLang::Ar) => format!("إضافة: {name}"),
        (Remove, UiLang::It) => format!("Rimuovi: {name}"),
        (Remove, UiLang::En) => format!("Remove this one: {name}"),
        (Remove, UiLang::Ar) => format!("حذف: {name}"),
        (Confirm, UiLang::It) => format!("Rimuovere «{name}» e le sue risposte?"),
        (Confirm, UiLang::En) => format!("Remove “{name}” and its answers?"),
        (Confirm, UiLang::Ar) => format!("حذف «{name}» وإجاباته؟"),
    }
}

/// What [`instance_action`] says.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InstanceAction {
    Add,
    Remove,
    Confirm,
}

/// "Page 2 of 5".
pub fn page_of(lang: UiLang, page: usize, pages: usize) -> String {
    match lang {
        UiLang::It => format!("Pagina {page} di {pages}"),
        UiLang::En => format!("Page {page} of {pages}"),
        UiLang::Ar => format!("الصفحة {page} من {pages}"),
    }
}

/// Where a ranking's item went, for screen readers: "Lavoro: posizione 2 di 5".
pub fn rank_moved(lang: UiLang, item: &str, place: usize, of: usize) -> String {
    match lang {
        UiLang::It => format!("{item}: posizione {place} di {of}"),
        UiLang::En => format!("{item}: position {place} of {of}"),
        UiLang::Ar => format!("{item}: المرتبة {place} من {of}"),
    }
}

/// A hint under a multiple-choice question with a maximum.
pub fn choose_at_most(lang: UiLang, max: u32) -> String {
    match (lang, max) {
        (UiLang::It, 1) => "Scegline una sola.".to_owned(),
        (UiLang::It, n) => format!("Puoi sceglierne al massimo {n}."),
        (UiLang::En, 1) => "Choose only one.".to_owned(),
        (UiLang::En, n) => format!("You can choose up to {n}."),
        (UiLang::Ar, 1) => "اختر خياراً واحداً فقط.".to_owned(),
        (UiLang::Ar, n) => format!("يمكنك اختيار {n} على الأكثر."),
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
        (Problem::ReadOnly { .. }, It) => "Questa risposta non si può cambiare.".to_owned(),
        (Problem::ReadOnly { .. }, En) => "This answer cannot be changed.".to_owned(),
        (Problem::Required, Ar) => "هذا السؤال يحتاج إلى إجابة.".to_owned(),
        (Problem::WrongType { .. }, Ar) => "هذه الإجابة ليست من النوع المطلوب.".to_owned(),
        (Problem::UnknownChoice { .. }, Ar) => "اختر أحد الخيارات المعروضة.".to_owned(),
        (Problem::RepeatedChoice { .. }, Ar) => "أحد الخيارات مختار مرتين.".to_owned(),
        (Problem::TooFewChoices { min }, Ar) => format!("اختر {min} على الأقل."),
        (Problem::TooManyChoices { max }, Ar) => format!("اختر {max} على الأكثر."),
        (Problem::NotWhole, Ar) => "اكتب عدداً صحيحاً.".to_owned(),
        (Problem::BelowMin { min }, Ar) => format!("أصغر قيمة مسموح بها هي {min}."),
        (Problem::AboveMax { max }, Ar) => format!("أكبر قيمة مسموح بها هي {max}."),
        (Problem::TooLong { max }, Ar) => format!("{max} حرفاً على الأكثر."),
        (Problem::NotADate, Ar) => "اكتب تاريخاً صحيحاً.".to_owned(),
        (Problem::UnknownQuestion, Ar) => "سؤال غير معروف.".to_owned(),
        (Problem::NotAnswerable, Ar) => "هذا العنصر لا يحتاج إلى إجابة.".to_owned(),
        (Problem::Constraint, Ar) => "هذه الإجابة غير مقبولة: يُرجى التحقق منها.".to_owned(),
        (Problem::NotRelevant, Ar) => "ما كان يجب عرض هذا السؤال.".to_owned(),
        (Problem::Calculation { .. }, Ar) => "قيمة محسوبة غير متطابقة.".to_owned(),
        (Problem::ReadOnly { .. }, Ar) => "لا يمكن تغيير هذه الإجابة.".to_owned(),
    }
}

/// A wrong PIN at the kiosk's prompt, and how many tries are left before the lockout.
pub fn pin_wrong(lang: UiLang, tries_left: u32) -> String {
    match lang {
        UiLang::It => format!("PIN sbagliato. Tentativi rimasti: {tries_left}."),
        UiLang::En => format!("Wrong PIN. Tries left: {tries_left}."),
        UiLang::Ar => format!("الرمز السري غير صحيح. المحاولات المتبقية: {tries_left}."),
    }
}

/// Too many wrong PINs: every PIN is refused for a while.
pub fn locked_out(lang: UiLang, seconds: u64) -> String {
    match lang {
        UiLang::It => format!("Troppi tentativi sbagliati: riprova tra {seconds} secondi."),
        UiLang::En => format!("Too many wrong tries: try again in {seconds} seconds."),
        UiLang::Ar => format!("محاولات خاطئة كثيرة: أعد المحاولة بعد {seconds} ثانية."),
    }
}

/// Why the kiosk session could not start.
pub fn setup_error(lang: UiLang, e: SetupError) -> &'static str {
    let key = match e {
        SetupError::NoSite => Key::SiteRequired,
        SetupError::NoSurvey => Key::SurveyRequired,
        SetupError::GroupTooLong => Key::GroupTooLong,
        SetupError::BadPin => Key::PinBad,
        SetupError::PinMismatch => Key::PinMismatch,
    };
    t(lang, key)
}

/// The sync status line: how many responses wait and why, in plain words.
pub fn sync_status(lang: UiLang, state: &SyncState, queued: usize) -> String {
    use UiLang::*;
    if *state == SyncState::Sending {
        return match lang {
            It => format!("Invio in corso ({queued} in attesa)…"),
            En => format!("Sending ({queued} waiting)…"),
            Ar => format!("جارٍ الإرسال ({queued} في الانتظار)…"),
        };
    }
    if queued == 0 {
        return match lang {
            It => "Tutto inviato".to_owned(),
            En => "All sent".to_owned(),
            Ar => "أُرسل كل شيء".to_owned(),
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
        (SyncState::Failed(SyncFailure::Enrol), It) => {
            format!("{queued} in attesa: questo tablet deve essere registrato (di nuovo)")
        }
        (SyncState::Failed(SyncFailure::Enrol), En) => {
            format!("{queued} waiting: this tablet must be enrolled (again)")
        }
        (SyncState::Failed(SyncFailure::Enrol), Ar) => {
            format!("{queued} في الانتظار: يجب تسجيل هذا الجهاز اللوحي (من جديد)")
        }
        (_, It) => format!("{queued} in attesa di invio"),
        (SyncState::Failed(SyncFailure::Offline), Ar) => {
            format!("{queued} في الانتظار، لا توجد شبكة")
        }
        (SyncState::Failed(SyncFailure::Server(code)), Ar) => {
            format!("{queued} في الانتظار: الخادم لا يستجيب كما يجب (الخطأ {code})")
        }
        (SyncState::Failed(SyncFailure::BadReply), Ar) => {
            format!("{queued} في الانتظار: تعذّر فهم رد الخادم")
        }
        (SyncState::Failed(SyncFailure::Storage), Ar) => {
            format!("{queued} في الانتظار: لا يمكن الكتابة في ذاكرة هذا الجهاز")
        }
        (_, En) => format!("{queued} waiting to be sent"),
        (_, Ar) => format!("{queued} في انتظار الإرسال"),
    }
}

/// The focus-group screens' texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FocusKey {
    StartTitle,
    Guide,
    ChooseGuide,
    NoGuides,
    Date,
    GroupType,
    GroupTypeHint,
    Facilitator,
    CoFacilitator,
    Begin,
    NeedGuide,
    NeedSite,
    BadDate,
    NeedGroupType,
    InitialsOnly,
    Pause,
    Roster,
    ConsentRead,
    AddParticipant,
    Consent,
    NotSaid,
    NoParticipants,
    Probes,
    Previous,
    Next,
    OverTime,
    Notes,
    NoteText,
    AddNote,
    Remove,
    Quotes,
    WhoSpeaks,
    QuoteText,
    SaveQuote,
    NoConsent,
    RosterFirst,
    Themes,
    NewTheme,
    AddTheme,
    AddRow,
    RemoveRow,
    End,
    ConfirmEnd,
    EndYes,
    Problems,
    Discard,
    ConfirmDiscard,
    Unsaved,
    Queued,
}

/// A text of the focus-group screens in `lang`.
pub fn focus(lang: UiLang, key: FocusKey) -> &'static str {
    use FocusKey::*;
    use UiLang::*;
    match (key, lang) {
        (StartTitle, It) => "Nuova sessione di focus group",
        (StartTitle, En) => "New focus-group session",
        (StartTitle, Ar) => "جلسة جديدة لمجموعة النقاش",
        (Guide, It) => "Traccia",
        (Guide, En) => "Guide",
        (Guide, Ar) => "دليل النقاش",
        (ChooseGuide, It) => "— scegli la traccia —",
        (ChooseGuide, En) => "— choose the guide —",
        (ChooseGuide, Ar) => "— اختر الدليل —",
        (NoGuides, It) => {
            "Nessuna traccia disponibile: collegati una volta alla rete per scaricarle."
        }
        (NoGuides, En) => "No guides available: connect once to download them.",
        (NoGuides, Ar) => "لا توجد أدلة متاحة: اتصل بالشبكة مرة واحدة لتنزيلها.",
        (Date, It) => "Data",
        (Date, En) => "Date",
        (Date, Ar) => "التاريخ",
        (GroupType, It) => "Tipo di gruppo",
        (GroupType, En) => "Group type",
        (GroupType, Ar) => "نوع المجموعة",
        (GroupTypeHint, It) => {
            "Per esempio: una classe di un istituto tecnico, i giovani del RETI Point, gli operatori."
        }
        (GroupTypeHint, En) => {
            "For example: a class of a technical school, the young people of the youth point, the social workers."
        }
        (GroupTypeHint, Ar) => "مثلاً: صف في مدرسة تقنية، شباب مركز الشباب، العاملون الاجتماعيون.",
        (Facilitator, It) => "Iniziali di chi conduce",
        (Facilitator, En) => "Facilitator's initials",
        (Facilitator, Ar) => "الأحرف الأولى لاسم الميسّر",
        (CoFacilitator, It) => "Iniziali di chi co-conduce (facoltativo)",
        (CoFacilitator, En) => "Co-facilitator's initials (optional)",
        (CoFacilitator, Ar) => "الأحرف الأولى لاسم الميسّر المساعد (اختياري)",
        (Begin, It) => "Inizia la sessione",
        (Begin, En) => "Start the session",
        (Begin, Ar) => "ابدأ الجلسة",
        (NeedGuide, It) => "Scegli una traccia.",
        (NeedGuide, En) => "Choose a guide.",
        (NeedGuide, Ar) => "اختر دليلاً.",
        (NeedSite, It) => "Scegli il luogo.",
        (NeedSite, En) => "Choose the place.",
        (NeedSite, Ar) => "اختر المكان.",
        (BadDate, It) => "Scrivi una data valida.",
        (BadDate, En) => "Enter a valid date.",
        (BadDate, Ar) => "أدخل تاريخاً صحيحاً.",
        (NeedGroupType, It) => "Scrivi il tipo di gruppo (al massimo 80 caratteri).",
        (NeedGroupType, En) => "Enter the group type (at most 80 characters).",
        (NeedGroupType, Ar) => "أدخل نوع المجموعة (80 حرفاً على الأكثر).",
        (InitialsOnly, It) => "Solo le iniziali (da 1 a 4 lettere), mai il nome.",
        (InitialsOnly, En) => "Initials only (1 to 4 letters), never the name.",
        (InitialsOnly, Ar) => "الأحرف الأولى فقط (من 1 إلى 4 أحرف)، وليس الاسم أبداً.",
        (Pause, It) => "Torna all'inizio (la sessione resta salvata)",
        (Pause, En) => "Back to the start (the session stays saved)",
        (Pause, Ar) => "العودة إلى البداية (تبقى الجلسة محفوظة)",
        (Roster, It) => "Partecipanti",
        (Roster, En) => "Participants",
        (Roster, Ar) => "المشاركون",
        (ConsentRead, It) => "Da leggere prima di iniziare:",
        (ConsentRead, En) => "To read out before starting:",
        (ConsentRead, Ar) => "يُقرأ بصوت عالٍ قبل البدء:",
        (AddParticipant, It) => "Aggiungi partecipante",
        (AddParticipant, En) => "Add a participant",
        (AddParticipant, Ar) => "أضف مشاركاً",
        (Consent, It) => "Ha dato il consenso",
        (Consent, En) => "Gave consent",
        (Consent, Ar) => "أعطى الموافقة",
        (NotSaid, It) => "— non indicato —",
        (NotSaid, En) => "— not given —",
        (NotSaid, Ar) => "— غير محدد —",
        (NoParticipants, It) => "Nessun partecipante: aggiungili con il pulsante qui sotto.",
        (NoParticipants, En) => "No participants yet: add them with the button below.",
        (NoParticipants, Ar) => "لا يوجد مشاركون بعد: أضفهم بالزر أدناه.",
        (Probes, It) => "Domande di approfondimento",
        (Probes, En) => "Follow-up probes",
        (Probes, Ar) => "أسئلة للتعمق",
        (Previous, It) => "Domanda precedente",
        (Previous, En) => "Previous prompt",
        (Previous, Ar) => "السؤال السابق",
        (Next, It) => "Domanda successiva",
        (Next, En) => "Next prompt",
        (Next, Ar) => "السؤال التالي",
        (OverTime, It) => "tempo suggerito superato",
        (OverTime, En) => "past the suggested time",
        (OverTime, Ar) => "تم تجاوز الوقت المقترح",
        (Notes, It) => "Appunti su questa domanda",
        (Notes, En) => "Notes on this prompt",
        (Notes, Ar) => "ملاحظات حول هذا السؤال",
        (NoteText, It) => "Nuovo appunto",
        (NoteText, En) => "New note",
        (NoteText, Ar) => "ملاحظة جديدة",
        (AddNote, It) => "Aggiungi l'appunto",
        (AddNote, En) => "Add the note",
        (AddNote, Ar) => "أضف الملاحظة",
        (Remove, It) => "Elimina",
        (Remove, En) => "Remove",
        (Remove, Ar) => "احذف",
        (Quotes, It) => "Citazioni",
        (Quotes, En) => "Quotes",
        (Quotes, Ar) => "اقتباسات",
        (WhoSpeaks, It) => "Chi parla? Tocca il suo codice: l'ora viene segnata subito.",
        (WhoSpeaks, En) => "Who is speaking? Tap their code: the time is noted at once.",
        (WhoSpeaks, Ar) => "من يتحدث؟ اضغط على رمزه: يُسجَّل الوقت فوراً.",
        (QuoteText, It) => "Le sue parole esatte",
        (QuoteText, En) => "Their exact words",
        (QuoteText, Ar) => "كلماته بالضبط",
        (SaveQuote, It) => "Salva la citazione",
        (SaveQuote, En) => "Save the quote",
        (SaveQuote, Ar) => "احفظ الاقتباس",
        (NoConsent, It) => "non ha dato il consenso: non si può citare",
        (NoConsent, En) => "has not given consent: cannot be quoted",
        (NoConsent, Ar) => "لم يعطِ موافقته: لا يمكن الاقتباس منه",
        (RosterFirst, It) => "Aggiungi prima i partecipanti.",
        (RosterFirst, En) => "Add the participants first.",
        (RosterFirst, Ar) => "أضف المشاركين أولاً.",
        (Themes, It) => "Temi",
        (Themes, En) => "Themes",
        (Themes, Ar) => "المواضيع",
        (NewTheme, It) => "Nuovo tema",
        (NewTheme, En) => "New theme",
        (NewTheme, Ar) => "موضوع جديد",
        (AddTheme, It) => "Aggiungi il tema",
        (AddTheme, En) => "Add the theme",
        (AddTheme, Ar) => "أضف الموضوع",
        (AddRow, It) => "Aggiungi una riga",
        (AddRow, En) => "Add a row",
        (AddRow, Ar) => "أضف صفاً",
        (RemoveRow, It) => "Elimina la riga",
        (RemoveRow, En) => "Remove the row",
        (RemoveRow, Ar) => "احذف الصف",
        (End, It) => "Termina la sessione",
        (End, En) => "End the session",
        (End, Ar) => "أنهِ الجلسة",
        (ConfirmEnd, It) => {
            "Terminare la sessione? Verrà messa in coda per l'invio e non si potrà più modificare."
        }
        (ConfirmEnd, En) => {
            "End the session? It will be queued for sending and can no longer be changed."
        }
        (ConfirmEnd, Ar) => "إنهاء الجلسة؟ ستوضع في قائمة الإرسال ولن يمكن تعديلها بعد ذلك.",
        (EndYes, It) => "Sì, termina e metti in coda",
        (EndYes, En) => "Yes, end and queue it",
        (EndYes, Ar) => "نعم، أنهِها وضعها في القائمة",
        (Problems, It) => "Prima di terminare, correggi:",
        (Problems, En) => "Before ending, fix:",
        (Problems, Ar) => "قبل الإنهاء، صحّح ما يلي:",
        (Discard, It) => "Elimina la sessione",
        (Discard, En) => "Discard the session",
        (Discard, Ar) => "احذف الجلسة",
        (ConfirmDiscard, It) => {
            "Eliminare questa sessione? Appunti e citazioni andranno persi per sempre."
        }
        (ConfirmDiscard, En) => "Discard this session? Its notes and quotes will be lost for good.",
        (ConfirmDiscard, Ar) => "حذف هذه الجلسة؟ ستُفقد ملاحظاتها واقتباساتها نهائياً.",
        (Unsaved, It) => {
            "La memoria del dispositivo è piena: le ultime modifiche non sono salvate. Non ricaricare la pagina; collegati alla rete per inviare ciò che è in coda."
        }
        (Unsaved, En) => {
            "This device's storage is full: the latest changes are not saved. Do not reload the page; connect to the network to send what is queued."
        }
        (Unsaved, Ar) => {
            "ذاكرة الجهاز ممتلئة: لم تُحفظ آخر التعديلات. لا تُعِد تحميل الصفحة؛ اتصل بالشبكة لإرسال ما في القائمة."
        }
        (Queued, It) => "Sessione in coda: sarà inviata appena c'è rete.",
        (Queued, En) => "Session queued: it will be sent as soon as there is a network.",
        (Queued, Ar) => "الجلسة في قائمة الإرسال: ستُرسل فور توفر الشبكة.",
    }
}

/// "Prompt 2 of 14".
pub fn prompt_of(lang: UiLang, n: usize, of: usize) -> String {
    match lang {
        UiLang::It => format!("Domanda {n} di {of}"),
        UiLang::En => format!("Prompt {n} of {of}"),
        UiLang::Ar => format!("السؤال {n} من {of}"),
    }
}

/// The suggested time next to the timer ("05:00 suggested").
pub fn suggested(lang: UiLang, clock: &str) -> String {
    match lang {
        UiLang::It => format!("su {clock} suggeriti"),
        UiLang::En => format!("of {clock} suggested"),
        UiLang::Ar => format!("من {clock} مقترحة"),
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
    fn the_languages_differ() {
        assert_ne!(t(UiLang::It, Key::Next), t(UiLang::En, Key::Next));
        assert_ne!(t(UiLang::Ar, Key::Next), t(UiLang::En, Key::Next));
        assert_eq!(page_of(UiLang::It, 2, 5), "Pagina 2 di 5");
        assert_eq!(page_of(UiLang::En, 2, 5), "Page 2 of 5");
        assert_eq!(page_of(UiLang::Ar, 2, 5), "الصفحة 2 من 5");
    }

    #[test]
    fn arabic_is_written_right_to_left() {
        assert_eq!(UiLang::Ar.dir(), "rtl");
        assert_eq!(UiLang::It.dir(), "ltr");
        assert_eq!(UiLang::parse("ar"), Some(UiLang::Ar));
        let arabic = |s: &str| s.chars().any(|c| ('\u{0600}'..='\u{06FF}').contains(&c));
        for key in [
            Key::Start,
            Key::ConsentYes,
            Key::WithdrawAsk,
            Key::Thanks,
            Key::Submit,
        ] {
            assert!(arabic(t(UiLang::Ar, key)), "{key:?} is in Arabic");
        }
        assert!(arabic(&problem(UiLang::Ar, &Problem::Required)));
        assert!(pin_wrong(UiLang::Ar, 2).contains('2'));
        assert!(locked_out(UiLang::En, 42).contains("42"));
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
        assert_eq!(bytes(UiLang::En, 1_250_000_000.0), "1.3 GB", "half up");
        assert_eq!(bytes(UiLang::En, 1_240_000_000.0), "1.2 GB");
        assert_eq!(bytes(UiLang::Ar, 999.0), "999 B");
        assert_eq!(bytes(UiLang::En, 1_000.0), "1.0 kB");
        assert_eq!(
            bytes(UiLang::En, -5.0),
            "0 B",
            "an estimate above the quota"
        );
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

//! The results area's texts in Italian (the default), English and Arabic, and how numbers,
//! percentages and sizes read in each. Survey texts come with the results.

/// The interface language, the same as the respondents' app's.
pub use crate::lang::UiLang as Lang;

/// A fixed text of the results area.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Key {
    Title,
    Language,
    Loading,
    SignInTitle,
    SignInHint,
    Name,
    Password,
    SignIn,
    SigningIn,
    WrongPassword,
    MissingCredentials,
    Offline,
    SessionEnded,
    NotAUser,
    SignOut,
    RoleViewer,
    RoleCoordinator,
    RoleAdmin,
    SurveysTitle,
    NoSurveys,
    BackToSurveys,
    Filters,
    Site,
    AllSites,
    From,
    To,
    Version,
    Group,
    AllVersions,
    Apply,
    ClearFilters,
    Respondents,
    Answered,
    Choice,
    Count,
    Percent,
    NoAnswer,
    Mean,
    Median,
    Q1,
    Q3,
    Statistic,
    Value,
    TooFewNumbers,
    TextHiddenForViewers,
    NoTextAnswers,
    Truncated,
    OnlyAnswered,
    HiddenNote,
    NoChart,
    BarChart,
    StackedChart,
    HiddenSegment,
    Legend,
    CrosstabTitle,
    CrosstabHint,
    Rows,
    Columns,
    ShowCrosstab,
    Total,
    NeedTwoChoiceQuestions,
    CompareTitle,
    CompareHint,
    CompareBy,
    CompareVersions,
    ComparePeriods,
    SideA,
    SideB,
    CompareRun,
    DownloadsTitle,
    DownloadsHint,
    ResultsCsv,
    ResultsXlsx,
    CodebookCsv,
    CodebookMd,
    ResponsesCsv,
    ResponsesXlsx,
    RawForCoordinators,
    Downloading,
    DownloadFailed,
    Failed,
    BackToApp,
    ImportTitle,
    ImportHint,
    ImportFile,
    ImportSubmit,
    Importing,
    ImportNoFile,
    NothingImported,
}

/// The text for `key` in `lang`.
pub fn t(lang: Lang, key: Key) -> &'static str {
    use Key::*;
    use Lang::*;
    match (key, lang) {
        (Title, It) => "Voci — risultati",
        (Title, En) => "Voci — results",
        (Title, Ar) => "Voci — النتائج",
        (Language, It) => "Lingua",
        (Language, En) => "Language",
        (Language, Ar) => "اللغة",
        (Loading, It) => "Caricamento…",
        (Loading, En) => "Loading…",
        (Loading, Ar) => "جارٍ التحميل…",
        (SignInTitle, It) => "Accesso coordinatori",
        (SignInTitle, En) => "Coordinators' sign-in",
        (SignInTitle, Ar) => "دخول المنسقين",
        (SignInHint, It) => {
            "L'area risultati funziona solo in rete. Entra con il nome e la password che ti ha dato l'amministratore."
        }
        (SignInHint, En) => {
            "The results area works online only. Sign in with the name and password the admin gave you."
        }
        (SignInHint, Ar) => {
            "تعمل منطقة النتائج عبر الشبكة فقط. ادخل بالاسم وكلمة المرور اللذين أعطاك إياهما المسؤول."
        }
        (Name, It) => "Nome utente",
        (Name, En) => "User name",
        (Name, Ar) => "اسم المستخدم",
        (Password, It) => "Password",
        (Password, En) => "Password",
        (Password, Ar) => "كلمة المرور",
        (SignIn, It) => "Entra",
        (SignIn, En) => "Sign in",
        (SignIn, Ar) => "دخول",
        (SigningIn, It) => "Accesso in corso…",
        (SigningIn, En) => "Signing in…",
        (SigningIn, Ar) => "جارٍ الدخول…",
        (WrongPassword, It) => "Nome utente o password errati.",
        (WrongPassword, En) => "Wrong user name or password.",
        (WrongPassword, Ar) => "اسم المستخدم أو كلمة المرور غير صحيحة.",
        (MissingCredentials, It) => "Scrivi il nome utente e la password.",
        (MissingCredentials, En) => "Type the user name and the password.",
        (MissingCredentials, Ar) => "اكتب اسم المستخدم وكلمة المرور.",
        (Offline, It) => "Il server non risponde: l'area risultati funziona solo in rete. Riprova.",
        (Offline, En) => {
            "The collector does not answer: the results area works online only. Try again."
        }
        (Offline, Ar) => "الخادم لا يستجيب: تعمل منطقة النتائج عبر الشبكة فقط. أعد المحاولة.",
        (SessionEnded, It) => "La sessione è scaduta: entra di nuovo.",
        (SessionEnded, En) => "Your session has ended: sign in again.",
        (SessionEnded, Ar) => "انتهت جلستك: ادخل من جديد.",
        (NotAUser, It) => "Questo browser è registrato come tablet di raccolta, non come utente.",
        (NotAUser, En) => {
            "This browser is enrolled as a collection tablet, not signed in as a user."
        }
        (NotAUser, Ar) => "هذا المتصفح مسجَّل كجهاز لجمع البيانات، وليس كمستخدم.",
        (SignOut, It) => "Esci",
        (SignOut, En) => "Sign out",
        (SignOut, Ar) => "خروج",
        (RoleViewer, It) => "lettore",
        (RoleViewer, En) => "viewer",
        (RoleViewer, Ar) => "مطَّلع",
        (RoleCoordinator, It) => "coordinatore",
        (RoleCoordinator, En) => "coordinator",
        (RoleCoordinator, Ar) => "منسق",
        (RoleAdmin, It) => "amministratore",
        (RoleAdmin, En) => "admin",
        (RoleAdmin, Ar) => "مسؤول",
        (SurveysTitle, It) => "I tuoi questionari",
        (SurveysTitle, En) => "Your surveys",
        (SurveysTitle, Ar) => "استبياناتك",
        (NoSurveys, It) => "Nessun questionario ti è assegnato.",
        (NoSurveys, En) => "No survey is assigned to you.",
        (NoSurveys, Ar) => "لا يوجد استبيان مخصص لك.",
        (BackToSurveys, It) => "Tutti i questionari",
        (BackToSurveys, En) => "All surveys",
        (BackToSurveys, Ar) => "كل الاستبيانات",
        (Filters, It) => "Filtri",
        (Filters, En) => "Filters",
        (Filters, Ar) => "عوامل التصفية",
        (Site, It) => "Luogo (ambito, comune, scuola)",
        (Site, En) => "Place (district, municipality, school)",
        (Site, Ar) => "المكان (المنطقة، البلدية، المدرسة)",
        (AllSites, It) => "Tutti i tuoi luoghi",
        (AllSites, En) => "All your places",
        (AllSites, Ar) => "كل أماكنك",
        (From, It) => "Dal giorno",
        (From, En) => "From",
        (From, Ar) => "من يوم",
        (To, It) => "Al giorno",
        (To, En) => "To",
        (To, Ar) => "إلى يوم",
        (Version, It) => "Versione del questionario",
        (Version, En) => "Survey version",
        (Version, Ar) => "نسخة الاستبيان",
        (Group, It) => "Classe o gruppo (come registrato nella sessione)",
        (Group, En) => "Class or group (as the session recorded it)",
        (Group, Ar) => "الصف أو المجموعة (كما سُجِّل في الجلسة)",
        (AllVersions, It) => "Tutte le versioni",
        (AllVersions, En) => "All versions",
        (AllVersions, Ar) => "كل النسخ",
        (Apply, It) => "Mostra i risultati",
        (Apply, En) => "Show the results",
        (Apply, Ar) => "اعرض النتائج",
        (ClearFilters, It) => "Togli i filtri",
        (ClearFilters, En) => "Clear the filters",
        (ClearFilters, Ar) => "أزل عوامل التصفية",
        (Respondents, It) => "Rispondenti",
        (Respondents, En) => "Respondents",
        (Respondents, Ar) => "المستجيبون",
        (Answered, It) => "Hanno risposto",
        (Answered, En) => "Answered",
        (Answered, Ar) => "أجابوا",
        (Choice, It) => "Risposta",
        (Choice, En) => "Answer",
        (Choice, Ar) => "الإجابة",
        (Count, It) => "Numero",
        (Count, En) => "Count",
        (Count, Ar) => "العدد",
        (Percent, It) => "% dei rispondenti",
        (Percent, En) => "% of respondents",
        (Percent, Ar) => "% من المستجيبين",
        (NoAnswer, It) => "Nessuna risposta",
        (NoAnswer, En) => "No answer",
        (NoAnswer, Ar) => "بلا إجابة",
        (Mean, It) => "Media",
        (Mean, En) => "Mean",
        (Mean, Ar) => "المتوسط",
        (Median, It) => "Mediana",
        (Median, En) => "Median",
        (Median, Ar) => "الوسيط",
        (Q1, It) => "Primo quartile",
        (Q1, En) => "First quartile",
        (Q1, Ar) => "الربيع الأول",
        (Q3, It) => "Terzo quartile",
        (Q3, En) => "Third quartile",
        (Q3, Ar) => "الربيع الثالث",
        (Statistic, It) => "Statistica",
        (Statistic, En) => "Statistic",
        (Statistic, Ar) => "الإحصاء",
        (Value, It) => "Valore",
        (Value, En) => "Value",
        (Value, Ar) => "القيمة",
        (TooFewNumbers, It) => "Troppo poche risposte per mostrare media e quartili.",
        (TooFewNumbers, En) => "Too few answers to show the mean and quartiles.",
        (TooFewNumbers, Ar) => "الإجابات قليلة جداً لعرض المتوسط والأرباع.",
        (TextHiddenForViewers, It) => {
            "Le risposte scritte sono visibili solo ai coordinatori: il tuo ruolo vede i conteggi."
        }
        (TextHiddenForViewers, En) => {
            "Written answers are shown to coordinators only: your role sees the counts."
        }
        (TextHiddenForViewers, Ar) => "الإجابات المكتوبة تظهر للمنسقين فقط: دورك يرى الأعداد.",
        (NoTextAnswers, It) => "Nessuna risposta scritta.",
        (NoTextAnswers, En) => "No written answers.",
        (NoTextAnswers, Ar) => "لا توجد إجابات مكتوبة.",
        (Truncated, It) => {
            "Sono mostrate le prime 500 risposte; il file delle risposte le ha tutte."
        }
        (Truncated, En) => "The first 500 answers are shown; the responses file has them all.",
        (Truncated, Ar) => "تظهر أول 500 إجابة؛ ملف الإجابات يحتويها كلها.",
        (OnlyAnswered, It) => "Per questa domanda si conta solo chi ha risposto.",
        (OnlyAnswered, En) => "For this question only who answered is counted.",
        (OnlyAnswered, Ar) => "في هذا السؤال يُحسب فقط من أجاب.",
        (HiddenNote, It) => {
            "«<5» vuol dire nascosto: meno di 5, o nascosto per proteggere un numero piccolo. Nessuno studente è riconoscibile."
        }
        (HiddenNote, En) => {
            "\"<5\" means hidden: below 5, or hidden to protect a small count. No student can be singled out."
        }
        (HiddenNote, Ar) => {
            "«<5» تعني مخفياً: أقل من 5، أو مخفياً لحماية عدد صغير. لا يمكن التعرف على أي طالب."
        }
        (NoChart, It) => "Troppo poche risposte per un grafico: vedi la tabella.",
        (NoChart, En) => "Too few answers for a chart: see the table.",
        (NoChart, Ar) => "الإجابات قليلة جداً لرسم بياني: انظر الجدول.",
        (BarChart, It) => "Grafico a barre",
        (BarChart, En) => "Bar chart",
        (BarChart, Ar) => "رسم بالأعمدة",
        (StackedChart, It) => "Barra in pila",
        (StackedChart, En) => "Stacked bar",
        (StackedChart, Ar) => "شريط مكدَّس",
        (HiddenSegment, It) => "nascosti",
        (HiddenSegment, En) => "hidden",
        (HiddenSegment, Ar) => "مخفية",
        (Legend, It) => "Legenda",
        (Legend, En) => "Legend",
        (Legend, Ar) => "مفتاح الرسم",
        (CrosstabTitle, It) => "Tabella incrociata",
        (CrosstabTitle, En) => "Cross-tab",
        (CrosstabTitle, Ar) => "جدول متقاطع",
        (CrosstabHint, It) => "Due domande a risposta singola o scala, una contro l'altra.",
        (CrosstabHint, En) => "Two single-choice or scale questions, one against the other.",
        (CrosstabHint, Ar) => "سؤالان بإجابة واحدة أو بمقياس، أحدهما مقابل الآخر.",
        (Rows, It) => "Righe",
        (Rows, En) => "Rows",
        (Rows, Ar) => "الصفوف",
        (Columns, It) => "Colonne",
        (Columns, En) => "Columns",
        (Columns, Ar) => "الأعمدة",
        (ShowCrosstab, It) => "Incrocia",
        (ShowCrosstab, En) => "Cross-tabulate",
        (ShowCrosstab, Ar) => "اعرض الجدول",
        (Total, It) => "Totale",
        (Total, En) => "Total",
        (Total, Ar) => "المجموع",
        (NeedTwoChoiceQuestions, It) => {
            "Questo questionario non ha due domande a risposta singola da incrociare."
        }
        (NeedTwoChoiceQuestions, En) => {
            "This survey does not have two single-choice questions to cross-tabulate."
        }
        (NeedTwoChoiceQuestions, Ar) => "لا يحتوي هذا الاستبيان على سؤالين بإجابة واحدة للمقارنة.",
        (CompareTitle, It) => "Confronto T0 / T1",
        (CompareTitle, En) => "T0 / T1 comparison",
        (CompareTitle, Ar) => "مقارنة T0 / T1",
        (CompareHint, It) => {
            "Due versioni del questionario, o due periodi che non si sovrappongono, con il luogo scelto nei filtri."
        }
        (CompareHint, En) => {
            "Two versions of the survey, or two periods that do not overlap, at the place chosen in the filters."
        }
        (CompareHint, Ar) => {
            "نسختان من الاستبيان، أو فترتان لا تتداخلان، في المكان المختار في عوامل التصفية."
        }
        (CompareBy, It) => "Confronta",
        (CompareBy, En) => "Compare",
        (CompareBy, Ar) => "قارن",
        (CompareVersions, It) => "due versioni",
        (CompareVersions, En) => "two versions",
        (CompareVersions, Ar) => "نسختين",
        (ComparePeriods, It) => "due periodi",
        (ComparePeriods, En) => "two periods",
        (ComparePeriods, Ar) => "فترتين",
        (SideA, It) => "T0 (prima)",
        (SideA, En) => "T0 (before)",
        (SideA, Ar) => "T0 (قبل)",
        (SideB, It) => "T1 (dopo)",
        (SideB, En) => "T1 (after)",
        (SideB, Ar) => "T1 (بعد)",
        (CompareRun, It) => "Confronta",
        (CompareRun, En) => "Compare",
        (CompareRun, Ar) => "قارن",
        (DownloadsTitle, It) => "File da scaricare",
        (DownloadsTitle, En) => "Downloads",
        (DownloadsTitle, Ar) => "ملفات للتنزيل",
        (DownloadsHint, It) => "Con i filtri applicati (luogo, date, versione).",
        (DownloadsHint, En) => "With the filters applied (place, dates, version).",
        (DownloadsHint, Ar) => "مع عوامل التصفية المطبقة (المكان، التواريخ، النسخة).",
        (ResultsCsv, It) => "Tabella dei risultati (CSV)",
        (ResultsCsv, En) => "Results table (CSV)",
        (ResultsCsv, Ar) => "جدول النتائج (CSV)",
        (ResultsXlsx, It) => "Tabella dei risultati (Excel)",
        (ResultsXlsx, En) => "Results table (Excel)",
        (ResultsXlsx, Ar) => "جدول النتائج (Excel)",
        (CodebookCsv, It) => "Codebook (CSV)",
        (CodebookCsv, En) => "Codebook (CSV)",
        (CodebookCsv, Ar) => "دليل الترميز (CSV)",
        (CodebookMd, It) => "Codebook (testo)",
        (CodebookMd, En) => "Codebook (text)",
        (CodebookMd, Ar) => "دليل الترميز (نص)",
        (ResponsesCsv, It) => "Tutte le risposte (CSV)",
        (ResponsesCsv, En) => "All responses (CSV)",
        (ResponsesCsv, Ar) => "كل الإجابات (CSV)",
        (ResponsesXlsx, It) => "Tutte le risposte (Excel)",
        (ResponsesXlsx, En) => "All responses (Excel)",
        (ResponsesXlsx, Ar) => "كل الإجابات (Excel)",
        (RawForCoordinators, It) => "Le risposte una per una sono solo per i coordinatori.",
        (RawForCoordinators, En) => "Responses one by one are for coordinators only.",
        (RawForCoordinators, Ar) => "الإجابات الفردية للمنسقين فقط.",
        (Downloading, It) => "Scaricamento",
        (Downloading, En) => "Downloading",
        (Downloading, Ar) => "جارٍ التنزيل",
        (DownloadFailed, It) => "Scaricamento non riuscito",
        (DownloadFailed, En) => "Download failed",
        (DownloadFailed, Ar) => "فشل التنزيل",
        (Failed, It) => "Il server ha rifiutato la richiesta",
        (Failed, En) => "The collector refused the request",
        (Failed, Ar) => "رفض الخادم الطلب",
        (BackToApp, It) => "Torna all'app dei questionari",
        (BackToApp, En) => "Back to the survey app",
        (BackToApp, Ar) => "العودة إلى تطبيق الاستبيانات",
        (ImportTitle, It) => "Importa un file di risposte",
        (ImportTitle, En) => "Import a file of answers",
        (ImportTitle, Ar) => "استورد ملف إجابات",
        (ImportHint, It) => {
            "Scegli il file esportato da un tablet che non ha potuto inviare. Le risposte e le sessioni già presenti non vengono duplicate."
        }
        (ImportHint, En) => {
            "Choose the file exported from a tablet that could not send. Answers and sessions already there are not stored twice."
        }
        (ImportHint, Ar) => {
            "اختر الملف المُصدَّر من جهاز لوحي لم يتمكن من الإرسال. الإجابات والجلسات الموجودة مسبقاً لا تُكرَّر."
        }
        (ImportFile, It) => "File esportato (.json)",
        (ImportFile, En) => "Exported file (.json)",
        (ImportFile, Ar) => "الملف المُصدَّر (.json)",
        (ImportSubmit, It) => "Importa",
        (ImportSubmit, En) => "Import",
        (ImportSubmit, Ar) => "استورد",
        (Importing, It) => "Importazione in corso…",
        (Importing, En) => "Importing…",
        (Importing, Ar) => "جارٍ الاستيراد…",
        (ImportNoFile, It) => "Scegli prima un file.",
        (ImportNoFile, En) => "Choose a file first.",
        (ImportNoFile, Ar) => "اختر ملفاً أولاً.",
        (NothingImported, It) => "Nulla è stato importato.",
        (NothingImported, En) => "Nothing was imported.",
        (NothingImported, Ar) => "لم يُستورد أي شيء.",
    }
}

/// Too many failed sign-ins: wait `seconds` (the collector's `Retry-After`).
pub fn locked_out(lang: Lang, seconds: u64) -> String {
    let minutes = seconds.div_ceil(60).max(1);
    match (lang, minutes) {
        (Lang::It, 1) => "Troppi tentativi falliti: riprova tra un minuto.".to_owned(),
        (Lang::It, _) => format!("Troppi tentativi falliti: riprova tra {minutes} minuti."),
        (Lang::En, 1) => "Too many failed attempts: try again in a minute.".to_owned(),
        (Lang::En, _) => format!("Too many failed attempts: try again in {minutes} minutes."),
        (Lang::Ar, _) => format!("محاولات فاشلة كثيرة: أعد المحاولة بعد {minutes} دقيقة."),
    }
}

/// Who is signed in, with their role.
pub fn signed_in_as(lang: Lang, name: &str, role: &str) -> String {
    match lang {
        Lang::It => format!("Sei entrato come {name} ({role})"),
        Lang::En => format!("Signed in as {name} ({role})"),
        Lang::Ar => format!("دخلت باسم {name} ({role})"),
    }
}

/// A download that finished: its file name and size.
pub fn downloaded(lang: Lang, file: &str, bytes: u64) -> String {
    let size = self::bytes(lang, bytes);
    match lang {
        Lang::It => format!("Scaricato {file} ({size})"),
        Lang::En => format!("Downloaded {file} ({size})"),
        Lang::Ar => format!("تم تنزيل {file} ({size})"),
    }
}

/// A download under way: bytes received, of the total when the collector said it.
pub fn receiving(lang: Lang, received: u64, total: Option<u64>) -> String {
    let got = bytes(lang, received);
    match (total, lang) {
        (Some(total), Lang::It) => format!("{got} di {}", bytes(lang, total)),
        (Some(total), Lang::En) => format!("{got} of {}", bytes(lang, total)),
        (Some(total), Lang::Ar) => format!("{got} من {}", bytes(lang, total)),
        (None, _) => got,
    }
}

/// A size as people read it (`12,3 KB` in Italian).
pub fn bytes(lang: Lang, n: u64) -> String {
    let n = n as f64;
    if n < 1024.0 {
        format!("{n} B")
    } else if n < 1024.0 * 1024.0 {
        format!("{} KB", decimal(lang, n / 1024.0, 1))
    } else {
        format!("{} MB", decimal(lang, n / 1024.0 / 1024.0, 1))
    }
}

/// A percentage with one decimal (`58,3%` in Italian).
pub fn percent(lang: Lang, p: f64) -> String {
    format!("{}%", decimal(lang, p, 1))
}

/// A statistic with up to two decimals, without trailing zeros (`16,5`, `17`).
pub fn number(lang: Lang, x: f64) -> String {
    let s = format!("{x:.2}");
    let s = s.trim_end_matches('0').trim_end_matches('.');
    localise(lang, s)
}

fn decimal(lang: Lang, x: f64, places: usize) -> String {
    localise(lang, &format!("{x:.places$}"))
}

/// Italian writes the decimal comma.
fn localise(lang: Lang, s: &str) -> String {
    match lang {
        Lang::It => s.replace('.', ","),
        Lang::En | Lang::Ar => s.to_owned(),
    }
}

/// What an import did with the file's responses, or (`sessions`) its focus-group sessions.
pub fn import_counts(lang: Lang, sessions: bool, c: &crate::import::Counts) -> String {
    let (stored, duplicate, conflict, invalid) = (c.stored, c.duplicate, c.conflict, c.invalid);
    let head = match (lang, sessions) {
        (Lang::It, false) => "Importate:",
        (Lang::It, true) => "Sessioni di focus group:",
        (Lang::En, false) => "Imported:",
        (Lang::En, true) => "Focus-group sessions:",
        (Lang::Ar, false) => "الاستيراد:",
        (Lang::Ar, true) => "جلسات مجموعات النقاش:",
    };
    match lang {
        Lang::It => format!(
            "{head} {stored} nuove, {duplicate} già presenti, {conflict} in conflitto, {invalid} non valide."
        ),
        Lang::En => format!(
            "{head} {stored} new, {duplicate} already there, {conflict} in conflict, {invalid} not valid."
        ),
        Lang::Ar => format!(
            "{head} جديدة {stored}، موجودة مسبقاً {duplicate}، متعارضة {conflict}، غير صالحة {invalid}."
        ),
    }
}

/// An import the collector refused as a whole.
pub fn import_refused(lang: Lang, message: &str) -> String {
    match lang {
        Lang::It => format!("File rifiutato, nulla è stato importato: {message}"),
        Lang::En => format!("File refused, nothing was imported: {message}"),
        Lang::Ar => format!("رُفض الملف ولم يُستورد أي شيء: {message}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_import_is_told_for_responses_and_sessions_apart() {
        let c = crate::import::Counts {
            stored: 0,
            duplicate: 9,
            conflict: 1,
            invalid: 0,
        };
        assert_eq!(
            import_counts(Lang::It, false, &c),
            "Importate: 0 nuove, 9 già presenti, 1 in conflitto, 0 non valide."
        );
        assert_eq!(
            import_counts(Lang::En, true, &c),
            "Focus-group sessions: 0 new, 9 already there, 1 in conflict, 0 not valid."
        );
        assert_eq!(
            import_counts(Lang::Ar, false, &c),
            "الاستيراد: جديدة 0، موجودة مسبقاً 9، متعارضة 1، غير صالحة 0."
        );
    }

    #[test]
    fn every_text_is_given_in_every_language() {
        let keys = [
            Key::Title,
            Key::SignIn,
            Key::HiddenNote,
            Key::TextHiddenForViewers,
            Key::RawForCoordinators,
        ];
        for key in keys {
            let texts: Vec<&str> = Lang::ALL.iter().map(|&l| t(l, key)).collect();
            assert!(texts.iter().all(|s| !s.is_empty()), "{key:?}");
            assert_ne!(texts[0], texts[2], "{key:?} is not translated to Arabic");
        }
    }

    #[test]
    fn numbers_read_as_in_each_language() {
        assert_eq!(percent(Lang::It, 58.333), "58,3%");
        assert_eq!(percent(Lang::En, 58.333), "58.3%");
        assert_eq!(number(Lang::It, 16.5), "16,5");
        assert_eq!(number(Lang::En, 17.0), "17");
        assert_eq!(number(Lang::En, 2.25), "2.25");
        assert_eq!(bytes(Lang::En, 512), "512 B");
        assert_eq!(bytes(Lang::It, 12_595), "12,3 KB");
        assert_eq!(receiving(Lang::En, 2048, Some(4096)), "2.0 KB of 4.0 KB");
        assert_eq!(receiving(Lang::En, 2048, None), "2.0 KB");
    }

    #[test]
    fn a_lockout_says_how_long_in_minutes() {
        assert_eq!(
            locked_out(Lang::En, 61),
            "Too many failed attempts: try again in 2 minutes."
        );
        assert!(locked_out(Lang::It, 0).ends_with("tra un minuto."));
    }

    #[test]
    fn arabic_is_right_to_left_and_codes_round_trip() {
        assert!(Lang::Ar.rtl() && !Lang::It.rtl());
        for l in Lang::ALL {
            assert_eq!(Lang::parse(l.code()), Some(l));
        }
        assert_eq!(Lang::default(), Lang::It);
    }
}

"""The default pattern rules, family by family, read straight from rules/*.toml.

For each family: lines a rule must match (with the id of the rule that should
match them), in English, German, French, Spanish, Italian, Portuguese, Dutch,
Polish and Russian, and article sentences that no rule may match. The check
uses only tomllib and regex, the way the engine applies a pattern rule: the
block's stripped text, searched with the pattern compiled with MULTILINE,
within the rule's max_chars/min_chars bounds. The rules' place (`where`) is
ignored here, which makes the negative cases stricter than on a real page.
Independent of the engine's API.
"""
from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
import regex

RULES_DIR = Path(__file__).resolve().parent.parent / "rules"

# The family files these tests cover, and the id prefixes each may use.
FAMILY_FILES = {
    "comments.toml": ("comments.",),
    "navigation.toml": ("nav.",),
    "share.toml": ("share.",),
    "related.toml": ("related.",),
    "taxonomy.toml": ("taxonomy.",),
    "byline.toml": ("byline.",),
    "notices.toml": ("cookie.", "newsletter."),
    "sidebar.toml": ("sidebar.",),
    "footer.toml": ("footer.",),
}
RULE_KEYS = {"id", "name", "description", "pattern", "selector", "action", "where",
             "max_chars", "min_chars", "domains", "enabled"}


def _load() -> tuple[dict[str, dict], dict[str, str]]:
    rules: dict[str, dict] = {}
    source: dict[str, str] = {}
    for path in sorted(RULES_DIR.glob("*.toml")):
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        for entry in data.get("rule", []):
            if "pattern" not in entry:
                continue
            rule = dict(entry)
            rule["compiled"] = regex.compile(entry["pattern"], regex.MULTILINE)
            rules[entry["id"]] = rule
            source[entry["id"]] = path.name
    return rules, source


RULES, SOURCE = _load()
FAMILY_RULES = {rid: r for rid, r in RULES.items() if SOURCE[rid] in FAMILY_FILES}


def matches(rule: dict, text: str) -> bool:
    s = text.strip()
    if len(s) < rule.get("min_chars", 0):
        return False
    if rule.get("max_chars") is not None and len(s) > rule["max_chars"]:
        return False
    return rule["compiled"].search(s, timeout=2.0) is not None


def matching_rules(text: str) -> list[str]:
    return [rid for rid, rule in RULES.items() if matches(rule, text)]


# ------------------------------------------------------------------ positives

POSITIVE: dict[str, list[str]] = {
    # --- comments
    "comments.thread-heading": [
        "Leave a Reply", "Leave a Comment", "Leave a Reply Cancel reply", "Leave a comment",
        "Leave a Reply to John Cancel reply", "Post a Comment", "Join the discussion",
        "3 thoughts on “How to bake bread”", "One thought on “Hello world!”",
        "12 Responses to “Why we moved”", "One Response to \"Spring\"",
        "Schreibe einen Kommentar", "Schreibe einen Kommentar Antworten abbrechen",
        "Hinterlassen Sie einen Kommentar", "2 Gedanken zu „Mein Garten“", "Ein Gedanke zu „Urlaub“",
        "Laisser un commentaire", "Laisser un commentaire Annuler la réponse",
        "4 réflexions sur « Le printemps »", "Une réponse à « Bonjour »",
        "Deja una respuesta", "Deja un comentario", "Deja una respuesta Cancelar la respuesta",
        "5 comentarios en «La receta»", "Publicar un comentario",
        "Lascia un commento", "Lascia un commento Annulla risposta", "3 pensieri su “Roma”",
        "Deixe um comentário", "Deixe uma resposta", "Deixe uma resposta Cancelar resposta",
        "2 comentários em “Lisboa”", "Postar um comentário",
        "Geef een reactie", "Laat een reactie achter", "Geef een reactie Reactie annuleren",
        "3 gedachten over “Amsterdam”",
        "Dodaj komentarz", "Dodaj komentarz Anuluj pisanie odpowiedzi", "Zostaw komentarz",
        "2 myśli na temat “Kraków”",
        "Добавить комментарий", "Оставьте комментарий", "Добавить комментарий Отменить ответ",
        "2 комментария к записи «Москва»", "Отправить комментарий",
    ],
    "comments.count-heading": [
        "12 Comments", "1 comment", "0 Comments", "Comments", "Comments (3)", "604 COMMENTS",
        "View Comments", "Show comments", "No comments:", "2 comments:",
        "Kommentare", "3 Kommentare", "Kommentare (5)", "Keine Kommentare:",
        "Commentaires", "7 commentaires", "Comentarios", "12 comentarios",
        "Commenti", "Nessun commento:", "Comentários", "2 Comentários",
        "Reacties", "4 reacties", "Geen opmerkingen:", "Komentarze", "5 komentarzy",
        "Brak komentarzy:", "Комментарии", "3 комментария", "Комментарии (12)",
    ],
    "comments.form-notes": [
        "Your email address will not be published.",
        "Your email address will not be published. Required fields are marked *",
        "Required fields are marked *",
        "Save my name, email, and website in this browser for the next time I comment.",
        "Notify me of follow-up comments by email.", "Notify me of new posts by email.",
        "You must be logged in to post a comment.", "Comments are closed.",
        "Both comments and pings are currently closed.",
        "This site uses Akismet to reduce spam. Learn how your comment data is processed.",
        "Your comment is awaiting moderation.", "Logged in as admin. Log out?",
        "Fill in your details below or click an icon to log in:",
        "You are commenting using your WordPress.com account. ( Log Out / Change )",
        "Deine E-Mail-Adresse wird nicht veröffentlicht.",
        "Deine E-Mail-Adresse wird nicht veröffentlicht. Erforderliche Felder sind mit * markiert",
        "Erforderliche Felder sind mit * markiert",
        "Meinen Namen, meine E-Mail-Adresse und meine Website in diesem Browser für die nächste Kommentierung speichern.",
        "Kommentare sind geschlossen.", "Du musst angemeldet sein, um einen Kommentar abzugeben.",
        "Diese Website verwendet Akismet, um Spam zu reduzieren. Erfahre mehr darüber, wie deine Kommentardaten verarbeitet werden.",
        "Votre adresse e-mail ne sera pas publiée.",
        "Votre adresse e-mail ne sera pas publiée. Les champs obligatoires sont indiqués avec *",
        "Les champs obligatoires sont indiqués avec *",
        "Enregistrer mon nom, mon e-mail et mon site dans le navigateur pour mon prochain commentaire.",
        "Les commentaires sont fermés.", "Votre commentaire est en attente de modération.",
        "Tu dirección de correo electrónico no será publicada.",
        "Tu dirección de correo electrónico no será publicada. Los campos obligatorios están marcados con *",
        "Los campos obligatorios están marcados con *",
        "Guarda mi nombre, correo electrónico y web en este navegador para la próxima vez que comente.",
        "Los comentarios están cerrados.",
        "Il tuo indirizzo email non sarà pubblicato.",
        "Il tuo indirizzo email non sarà pubblicato. I campi obbligatori sono contrassegnati *",
        "I campi obbligatori sono contrassegnati *", "Devi essere connesso per inviare un commento.",
        "Salva il mio nome, email e sito web in questo browser per la prossima volta che commento.",
        "O seu endereço de email não será publicado.", "O seu endereço de e-mail não será publicado.",
        "O seu endereço de e-mail não será publicado. Campos obrigatórios são marcados com *",
        "Os comentários estão fechados.",
        "Je e-mailadres wordt niet gepubliceerd.", "Vereiste velden zijn gemarkeerd met *",
        "Mijn naam, e-mail en site opslaan in deze browser voor de volgende keer wanneer ik een reactie plaats.",
        "Reacties zijn gesloten.",
        "Twój adres e-mail nie zostanie opublikowany.", "Wymagane pola są oznaczone *",
        "Zapamiętaj moje dane w tej przeglądarce podczas pisania kolejnych komentarzy.",
        "Komentarze są zamknięte.",
        "Ваш адрес email не будет опубликован.", "Ваш адрес email не будет опубликован. Обязательные поля помечены *",
        "Обязательные поля помечены *",
        "Сохранить моё имя, email и адрес сайта в этом браузере для последующих моих комментариев.",
        "Комментарии закрыты.",
    ],
    "comments.form-labels": [
        "Name *", "Email *", "Website", "Comment *", "Name (required)", "Post Comment", "Reply",
        "Cancel reply", "Log in to Reply", "Kommentar abschicken", "Antworten", "E-Mail *",
        "Répondre", "Annuler la réponse", "Nom *", "Publicar el comentario", "Responder",
        "Invia commento", "Rispondi", "Publicar comentário", "Reactie plaatsen", "Beantwoorden",
        "Odpowiedz", "Opublikuj komentarz", "Ответить", "Имя *",
    ],
    "comments.disqus": [
        "Please enable JavaScript to view the comments powered by Disqus.",
        "comments powered by Disqus", "blog comments powered by Disqus",
    ],
    "comments.thread-toolbar": [
        "Sort by Best", "Start the discussion…", "Newest | Oldest | Most Voted", "Inline Feedbacks",
        "View all comments",
    ],
    "comments.no-comments-yet": [
        "No comments yet.", "Be the first to comment!", "Noch keine Kommentare.",
        "Aucun commentaire pour le moment.", "Aún no hay comentarios.", "Ancora nessun commento.",
        "Ainda não há comentários.", "Nog geen reacties.", "Brak komentarzy.", "Комментариев пока нет.",
        "Комментариев нет:",
    ],
    "comments.blogger": [
        "Subscribe to: Post Comments (Atom)", "Subscribe to: Posts (Atom)",
        "Abonnieren Kommentare zum Post (Atom)", "S'abonner à : Publier les commentaires (Atom)",
        "Suscribirse a: Enviar comentarios (Atom)", "Iscriviti a: Commenti sul post (Atom)",
        "Assinar: Postar comentários (Atom)", "Subskrybuj: Komentarze do posta (Atom)",
        "Подписаться на: Комментарии к сообщению (Atom)",
    ],
    "comments.timestamp": [
        "March 3, 2021 at 10:15 am", "November 19th, 2019 at 8:40 AM", "Regan August 19, 2019 - 5:48 pm",
        "3. März 2021 um 10:15 Uhr", "3 mars 2021 à 10 h 15", "3 de marzo de 2021 a las 10:15",
        "3 marzo 2021 alle 10:15", "3 de março de 2021 às 10:15", "3 maart 2021 om 10:15",
        "3 marca 2021 o 10:15", "3 марта 2021 в 10:15",
    ],
    # --- navigation
    "nav.post-links": [
        "Previous post", "Next post", "Previous Post: How I learned to cook",
        "Next Post: Ten things about gardens", "« Older Entries", "Newer Entries »", "« Previous",
        "Next »", "Older posts", "Newer posts", "Newer Post Older Post Home", "Post navigation",
        "« Previous Post Next Post »", "← Previous Story",
        "Vorheriger Beitrag", "Nächster Beitrag", "Ältere Beiträge", "Beitragsnavigation",
        "Article précédent", "Article suivant", "Articles plus anciens", "Navigation des articles",
        "Entrada anterior", "Entrada siguiente", "Navegación de entradas",
        "Entrada más reciente Entrada antigua Página principal",
        "Articolo precedente", "Articolo successivo", "Navigazione articoli",
        "Post più recente Post più vecchio Home page",
        "Artigo anterior", "Próximo artigo", "Postagem mais recente Postagem mais antiga Página inicial",
        "Vorige bericht", "Volgende bericht", "Berichtnavigatie",
        "Poprzedni wpis", "Następny wpis", "Nawigacja wpisu",
        "Предыдущая запись", "Следующая запись", "Навигация по записям",
        "Previous article: Why the rain came",
    ],
    "nav.pagination": [
        "Page 2 of 5", "Seite 2 von 5", "Page 2 sur 5", "Página 2 de 5", "Pagina 2 di 5",
        "Pagina 2 van 5", "Strona 2 z 5", "Страница 2 из 5", "1 2 3 … 10 Next »",
        "« Prev 4 5 6 Next »", "1 2 3 4 5",
    ],
    "nav.breadcrumbs": [
        "Home » News » The storm", "Home > Blog > Recipes", "Home / Politics / Elections",
        "You are here: Home » News", "Startseite › Politik › Wahlen", "Accueil > Actualités",
        "Inicio » Noticias", "Home page › Notizie", "Início / Notícias", "Strona główna » Aktualności",
        "Главная » Новости",
    ],
    "nav.site-chrome": [
        "Skip to content", "Skip to main content", "Toggle navigation", "Menu", "Search",
        "Search for:", "Search for: Search", "Home", "Close", "Sign In",
        "Zum Inhalt springen", "Menü", "Suche", "Startseite", "Aller au contenu", "Rechercher",
        "Accueil", "Saltar al contenido", "Buscar", "Inicio", "Vai al contenuto", "Cerca",
        "Pular para o conteúdo", "Pesquisar", "Ga naar de inhoud", "Zoeken",
        "Przejdź do treści", "Szukaj", "Перейти к содержимому", "Поиск", "Главная", "×", "☰",
    ],
    # --- share
    "share.heading": [
        "Share this:", "Share this article", "Share", "Share on:", "Share this story",
        "Teilen mit:", "Teilen:", "Partager :", "Partager", "Compartir:", "Compartir esto:",
        "Condividi:", "Condividi", "Compartilhe:", "Compartilhe isso:", "Partilhe isto:",
        "Delen:", "Deel dit:", "Udostępnij:", "Udostępnij to:", "Поделиться:", "Поделиться",
    ],
    "share.buttons": [
        "Share on Facebook", "Share on Twitter", "Tweet on Twitter", "Pin It", "Email This",
        "BlogThis!", "Share to Twitter Share to Facebook Share to Pinterest",
        "Auf Facebook teilen", "Partager sur Facebook", "Compartir en Facebook",
        "Condividi su Facebook", "Compartilhar no Facebook", "Delen op Facebook",
        "Udostępnij na Facebooku", "Поделиться в ВКонтакте",
    ],
    "share.jetpack-buttons": [
        "Click to share on Twitter (Opens in new window)",
        "Click to email a link to a friend (Opens in new window)",
        "Klicken, um auf Facebook zu teilen (Wird in neuem Fenster geöffnet)",
        "Cliquez pour partager sur Facebook(ouvre dans une nouvelle fenêtre)",
        "Haz clic para compartir en Twitter (Se abre en una ventana nueva)",
        "Fai clic qui per condividere su Facebook (Si apre in una nuova finestra)",
        "Clique para compartilhar no Twitter(abre em nova janela)",
        "Klik om te delen op Twitter (Wordt in een nieuw venster geopend)",
        "Kliknij, aby udostępnić na Twitterze (Otwiera się w nowym oknie)",
        "Нажмите, чтобы поделиться в Twitter (Открывается в новом окне)",
    ],
    "share.network-names": [
        "Facebook", "Twitter", "X", "LinkedIn", "WhatsApp", "Pinterest", "Reddit", "Telegram",
        "Email", "Print", "Facebook Twitter LinkedIn", "Facebook Twitter Pinterest Email",
        "Email • Twitter • Google+", "Facebook (12) Twitter (3)", "ВКонтакте", "ВКонтакте Одноклассники Telegram",
        "Drucken", "Imprimer", "Imprimir", "Stampa", "Afdrukken", "Drukuj", "Печать", "E-Mail",
    ],
    "share.like-widget": [
        "Like this:", "Like Loading...", "Loading...", "Be the first to like this.", "3 bloggers like this.",
        "Gefällt mir:", "Gefällt mir Wird geladen …", "Sei der Erste, dem dies gefällt.",
        "J’aime ça :", "J’aime chargement…", "Me gusta esto:", "Me gusta Cargando...",
        "Mi piace:", "Mi piace Caricamento...", "Curtir isso:", "Gostar disto:",
        "Vind ik leuk:", "Vind ik leuk Laden...", "Lubię to:", "Polub Wczytywanie…",
        "Нравится:", "Нравится Загрузка...",
    ],
    # --- related
    "related.heading": [
        "Related posts", "Related Articles", "Related", "You may also like", "You might also like",
        "You may also like:", "More Stories", "More from The Atlantic", "More in Politics",
        "Most Popular", "Read more", "Read Next", "Recommended for you", "Trending Now",
        "Ähnliche Beiträge", "Das könnte dich auch interessieren", "Mehr zum Thema", "Lesen Sie auch",
        "Articles similaires", "Vous aimerez aussi", "À lire aussi", "Sur le même sujet",
        "Artículos relacionados", "Entradas relacionadas", "También te puede interesar", "Lee también",
        "Articoli correlati", "Potrebbe interessarti anche", "Leggi anche",
        "Artigos relacionados", "Você também pode gostar", "Leia também",
        "Gerelateerde berichten", "Lees ook", "Misschien ook interessant",
        "Podobne wpisy", "Zobacz też", "Czytaj także",
        "Похожие записи", "Читайте также", "Вам также может понравиться",
    ],
    "related.inline-promo": [
        "Read more: Alibaba poised to launch record listing", "RELATED: The 15 weirdest galaxies",
        "Related: SpaceX's Starship in pictures", "Lesen Sie auch: Die Bahn streikt wieder",
        "À lire aussi : Les prix de l'énergie flambent", "Lee también: El Gobierno aprueba la reforma",
        "Leggi anche: Il governo approva la manovra", "Leia também: O preço do petróleo sobe",
        "Lees ook: Kabinet valt over stikstof", "Czytaj także: Sejm przyjął ustawę",
        "Читайте также: Правительство одобрило бюджет",
    ],
    "related.jetpack": [
        "In \"News\"", "In “Politics”", "Similar post", "In „Nachrichten“", "Dans « Actualités »",
        "En «Noticias»", "Em \"Notícias\"", "W „Aktualności”", "В «Новости»", "Ähnlicher Beitrag",
        "Похожая запись",
    ],
    # --- taxonomy
    "taxonomy.labelled-list": [
        "Tags: travel, food, Italy", "Tagged: news, politics", "Filed under: Economy, Markets",
        "Filed Under: Eastern Equine Encephalitis, EEE, health", "Categories: News",
        "Posted in News | Tagged travel, food | Leave a comment", "Labels: recipes, baking",
        "Schlagwörter: Politik, Wahl", "Kategorien: Allgemein", "Veröffentlicht in Allgemein",
        "Étiquettes : politique, élections", "Catégories : Actualités", "Classé dans : Non classé",
        "Etiquetas: política, elecciones", "Categorías: Noticias", "Publicado en Noticias",
        "Tag: politica, elezioni", "Categorie: Notizie", "Pubblicato in Senza categoria",
        "Tags: política, eleições", "Categorias: Notícias", "Marcadores: receitas",
        "Tags: politiek, verkiezingen", "Categorieën: Nieuws", "Geplaatst in Nieuws",
        "Tagi: polityka, wybory", "Kategorie: Wiadomości", "Opublikowano w Bez kategorii",
        "Метки: политика, выборы", "Рубрики: Новости", "Теги: политика",
    ],
    "taxonomy.heading": [
        "Tags", "Tagged", "Topics", "Schlagwörter", "Étiquettes", "Etiquetas", "Tag", "Tagi", "Метки",
        "Теги", "Related Tags",
    ],
    "taxonomy.entry-meta": [
        "This entry was posted in News and tagged politics, elections. Bookmark the permalink.",
        "Dieser Beitrag wurde unter Allgemein veröffentlicht und mit Politik verschlagwortet. Setze ein Lesezeichen auf den Permalink.",
        "Cette entrée a été publiée dans Actualités, avec comme mot(s)-clef(s) politique. Vous pouvez la mettre en favoris avec ce permalien.",
        "Esta entrada fue publicada en Noticias y etiquetada política. Guarda el enlace permanente.",
        "Questa voce è stata pubblicata in Notizie e contrassegnata con politica. Contrassegna il permalink.",
        "Esta entrada foi publicada em Notícias e marcada com política. Adicione aos favoritos o link permanente.",
        "Dit bericht werd geplaatst in Nieuws en getagged met politiek. Bookmark de permalink.",
        "Wpis został opublikowany w kategorii Wiadomości i oznaczony tagami polityka. Dodaj zakładkę do bezpośredniego odnośnika.",
        "Запись опубликована в рубрике Новости с метками политика. Добавьте в закладки постоянную ссылку.",
        "Bookmark the permalink.",
    ],
    "taxonomy.post-footer": [
        "Posted at 11:28 AM | Permalink", "Posted by Jane Doe on November 05, 2012 | Permalink",
        "Todd Hoff | 3 Comments | Permalink", "Permalink | Comments (4) |",
        "November 03, 2012 in Management, Leadership | Permalink", "Jane Doe • 5 Kommentare • Permalink",
        "12 mars 2012 | Permalien", "Publicado por Ana | Enlace permanente", "Inviato da Mario | Link permanente",
        "Opublikowano 3 marca | Bezpośredni odnośnik", "Опубликовано 3 марта | Постоянная ссылка",
    ],
    # --- byline
    "byline.author": [
        "By Jane Doe", "By JANE DOE", "By Jane Doe and John Roe", "By Jill Disis, CNN Business",
        "By Amy Kuperinsky | NJ Advance Media", "By Louis Jacobson on Monday, November 18th, 2019 at 11:04 a.m.",
        "Posted by admin", "Posted by Michael Smith at 10:15 AM", "Written by Rachael Link, MS, RD",
        "by Tom Rogan", "By", "Von Max Mustermann", "Autor: Max Mustermann", "Par Jean Dupont",
        "Par Marie-Claire Dubois", "Por Ana Pérez", "Escrito por María García", "Di Mario Rossi",
        "Scritto da Giulia Bianchi", "Por João Silva", "Postado por Ana Costa", "Door Jan de Vries",
        "Geschreven door Pieter Bakker", "Autor: Jan Kowalski", "Autorka: Anna Nowak",
        "Автор: Иван Петров", "Текст: Венера Ерофеева · 24 сентября 2018",
    ],
    "byline.dateline": [
        "Posted on March 3, 2021 by admin", "Published: 12 May 2023", "Updated 3 hours ago",
        "Tuesday November 19, 2019", "November 19, 2019", "Nov. 19, 2019 8:03 am ET", "11/19/2019 06:18 PM",
        "2018-08-16", "Published 4:00 am CST, Wednesday, November 20, 2019", "Updated", "2 hours ago",
        "Veröffentlicht am 3. März 2021", "Aktualisiert am 4. März 2021, 10:15 Uhr", "vor 3 Stunden",
        "Publié le 3 mars 2021 à 10h15", "Mis à jour le 4 mars 2021",
        "Publicado el 3 de marzo de 2021", "Actualizado el 4 de marzo de 2021", "hace 2 horas",
        "Pubblicato il 3 marzo 2021", "Aggiornato il 4 marzo 2021",
        "Publicado em 3 de março de 2021", "Atualizado em 4 de março de 2021",
        "Gepubliceerd op 3 maart 2021", "Bijgewerkt op 4 maart 2021",
        "Opublikowano 3 marca 2021", "Zaktualizowano 4 marca 2021",
        "Опубликовано 3 марта 2021", "Обновлено 4 марта 2021 г.",
    ],
    "byline.reading-time": [
        "5 min read", "5 Min Read", "3 minute read", "Reading time: 4 minutes", "Estimated reading time: 6 minutes",
        "Lesezeit: 3 Minuten", "3 Min. Lesezeit", "Temps de lecture : 4 min", "4 min de lecture",
        "Tiempo de lectura: 5 minutos", "5 min de lectura", "Tempo di lettura: 3 minuti",
        "Tempo de leitura: 2 minutos", "Leestijd: 3 minuten", "Czas czytania: 4 min", "Время чтения: 5 минут",
    ],
    # --- notices
    "cookie.banner": [
        "We use cookies to improve your experience on our website.",
        "This website uses cookies to improve your experience. We'll assume you're ok with this.",
        "By continuing to use this site, you agree to the use of cookies.",
        "Wir verwenden Cookies, um Ihnen das beste Nutzererlebnis zu bieten.",
        "Diese Website verwendet Cookies. Wenn Sie die Website weiter nutzen, gehen wir von Ihrem Einverständnis aus.",
        "Nous utilisons des cookies pour vous garantir la meilleure expérience sur notre site.",
        "Ce site utilise des cookies pour améliorer votre expérience.",
        "Utilizamos cookies para mejorar su experiencia.", "Este sitio web utiliza cookies para que usted tenga la mejor experiencia.",
        "Utilizziamo i cookie per essere sicuri che tu possa avere la migliore esperienza.",
        "Questo sito utilizza cookie per migliorare l'esperienza di navigazione.",
        "Utilizamos cookies para garantir a melhor experiência no nosso site.",
        "Este site utiliza cookies para melhorar a sua experiência.",
        "Deze website maakt gebruik van cookies om uw ervaring te verbeteren.",
        "Używamy plików cookie, aby zapewnić najlepszą jakość.",
        "Ta strona używa plików cookie w celach statystycznych.",
        "Мы используем файлы cookie для улучшения работы сайта.",
        "Этот сайт использует cookies для хранения данных.",
    ],
    "cookie.controls": [
        "Accept", "Accept all cookies", "Accept & Close", "Cookie settings", "Cookie Policy",
        "Reject all", "Manage preferences", "Learn more", "Alle akzeptieren", "Cookie-Einstellungen",
        "Tout accepter", "Paramètres des cookies", "Aceptar todas", "Configuración de cookies",
        "Accetta tutti", "Impostazioni cookie", "Aceitar todos", "Definições de cookies",
        "Alles accepteren", "Cookie-instellingen", "Akceptuj wszystkie", "Ustawienia plików cookie",
        "Принять все", "Настройки cookie", "Accept Refuse",
    ],
    "newsletter.signup": [
        "Subscribe to our newsletter", "Sign up for our newsletter", "Newsletter", "Newsletters",
        "Join our mailing list", "Get the latest news delivered straight to your inbox.",
        "Newsletter abonnieren", "Melde dich für unseren Newsletter an",
        "Abonnez-vous à notre newsletter", "Inscrivez-vous à la newsletter",
        "Suscríbete a nuestro boletín", "Iscriviti alla nostra newsletter", "Assine nossa newsletter",
        "Subscreva a nossa newsletter", "Schrijf je in voor onze nieuwsbrief", "Nieuwsbrief",
        "Zapisz się do newslettera", "Подпишитесь на нашу рассылку", "Thanks for signing up!",
    ],
    "newsletter.form": [
        "Enter your email address", "Your email address", "Subscribe", "Sign up", "Subscribe now",
        "E-Mail-Adresse eingeben", "Jetzt abonnieren", "Votre adresse e-mail", "S'abonner",
        "Introduce tu correo electrónico", "Suscribirse", "Inserisci il tuo indirizzo email", "Iscriviti",
        "Digite seu e-mail", "Assinar", "Vul je e-mailadres in", "Inschrijven", "Podaj swój adres e-mail",
        "Zapisz się", "Введите ваш email", "Подписаться",
    ],
    "newsletter.jetpack": [
        "Enter your email address to subscribe to this blog and receive notifications of new posts by email.",
        "Join 1,234 other subscribers", "Join 513 other subscribers",
        "Gib deine E-Mail-Adresse an, um diesen Blog zu abonnieren und Benachrichtigungen über neue Beiträge via E-Mail zu erhalten.",
        "Entrez votre adresse mail pour suivre ce blog et être notifié par email des nouvelles publications.",
        "Rejoignez 42 autres abonnés", "Únete a otros 120 suscriptores", "Unisciti a 99 altri iscritti",
        "Junte-se a 75 outros assinantes", "Dołącz do 30 innych subskrybentów",
    ],
    # --- sidebar
    "sidebar.widget-heading": [
        "Recent Posts", "Recent Comments", "Archives", "Categories", "Meta", "Blogroll", "Popular Posts",
        "Blog Archive", "About Me", "Letzte Beiträge", "Neueste Kommentare", "Archive", "Kategorien",
        "Articles récents", "Commentaires récents", "Catégories", "Entradas recientes",
        "Comentarios recientes", "Categorías", "Articoli recenti", "Commenti recenti", "Archivi",
        "Posts recentes", "Comentários recentes", "Arquivos", "Recente berichten", "Recente reacties",
        "Archieven", "Ostatnie wpisy", "Najnowsze komentarze", "Archiwa", "Свежие записи",
        "Свежие комментарии", "Архивы", "Рубрики", "Мета",
    ],
    "sidebar.meta-widget": [
        "Log in", "Entries feed", "Comments feed", "WordPress.org", "Entries RSS | Comments RSS",
        "Log in Register Log out", "Anmelden", "Feed der Einträge", "Kommentare-Feed",
        "Flux des publications", "Flux des commentaires", "Feed de entradas", "Feed de comentarios",
        "Feed dei contenuti", "Feed dei commenti", "Feed de posts", "Feed de comentários",
        "Berichten feed", "Reacties feed", "Kanał wpisów", "Kanał komentarzy", "Войти",
        "Лента записей", "Лента комментариев",
    ],
    "sidebar.archive-month": [
        "November 2023", "March 2021 (4)", "März 2021", "novembre 2023", "noviembre de 2023",
        "novembre 2023 (12)", "novembro 2023", "november 2023", "listopad 2023", "Ноябрь 2023",
        "▼ November (3)", "► 2019 (45)", "Abril (115)",
    ],
    "sidebar.follow": [
        "Follow us", "Follow Us On Twitter", "Like us on Facebook", "Find us on Facebook",
        "Connect with us", "Stay Connected", "Folge uns", "Folgen Sie uns auf Instagram", "Suivez-nous",
        "Suivez-nous sur Facebook", "Síguenos", "Síguenos en Twitter", "Seguici", "Seguici su Facebook",
        "Siga-nos", "Siga-nos no Instagram", "Volg ons", "Volg ons op Twitter", "Obserwuj nas",
        "Obserwuj nas na Facebooku", "Мы в соцсетях",
    ],
    # --- footer
    "footer.copyright": [
        "© 2023 Example Site", "Copyright © 2023 Example Site. All rights reserved.",
        "Copyright 2019 Hawaii News Now. All rights reserved.", "(c) 2023 Example",
        "© Copyright Gannett 2018", "© 2000-2019 Rogers Media. All rights reserved.",
        "Copyright © 2019 Business Insider Deutschland Alle Rechte vorbehalten.",
    ],
    "footer.copyright-year": [
        "All contents © 2019 The Slate Group LLC.", "Sports data © STATS 2018",
        "Wccftech © 2019 NewAge ADS, LLC.", "Legal Notice Terms and Conditions © pv magazine 2019",
    ],
    "footer.rights-reserved": [
        "All rights reserved", "All Rights Reserved.", "Alle Rechte vorbehalten.", "Tous droits réservés",
        "Todos los derechos reservados", "Tutti i diritti riservati", "Todos os direitos reservados",
        "Alle rechten voorbehouden", "Wszelkie prawa zastrzeżone", "Все права защищены",
        "Site Name 2023. All rights reserved.",
    ],
    "footer.powered-by": [
        "Powered by WordPress", "Proudly powered by WordPress", "Proudly powered by WordPress | Theme: Twenty Twelve by WordPress.org.",
        "Theme: Twenty Twenty by WordPress.org.", "Theme by Anders Norén", "Blog at WordPress.com.",
        "Powered by Blogger", "Published with Ghost", "Stolz präsentiert von WordPress",
        "Fièrement propulsé par WordPress", "Funciona gracias a WordPress", "Creato con WordPress",
        "Com orgulho, desenvolvido com WordPress", "Trots aangedreven door WordPress",
        "Dumnie wspierane przez WordPress", "Сайт работает на WordPress", "Thème : Twenty Twelve par WordPress.org.",
        "Tema: Twenty Twelve por WordPress.org.", "Motyw: Twenty Twelve autorstwa WordPress.org.",
    ],
    "footer.back-to-top": [
        "Back to top", "Scroll to top", "↑ Back to Top", "Nach oben", "Retour en haut", "Volver arriba",
        "Torna su", "Voltar ao topo", "Terug naar boven", "Do góry", "Наверх",
    ],
    "footer.legal-links": [
        "Privacy Policy", "Terms of Use", "Terms of Service", "Contact Us", "About Us", "Sitemap",
        "Privacy Policy | Terms & Conditions", "Do Not Sell My Personal Information",
        "Your California Privacy Rights", "Impressum", "Datenschutz", "Impressum Datenschutz",
        "Mentions légales", "Politique de confidentialité", "Aviso legal", "Política de privacidad",
        "Note legali", "Informativa sulla privacy", "Política de privacidade", "Fale conosco",
        "Privacybeleid", "Algemene voorwaarden", "Polityka prywatności", "Regulamin",
        "Политика конфиденциальности", "Контакты", "Jobs | Privacy | Help",
    ],
}

POSITIVE_CASES = [(rid, text) for rid, texts in POSITIVE.items() for text in texts]


@pytest.mark.parametrize(("rule_id", "text"), POSITIVE_CASES,
                         ids=[f"{rid}:{text[:40]}" for rid, text in POSITIVE_CASES])
def test_rule_matches_its_boilerplate_line(rule_id, text):
    assert rule_id in RULES, f"no rule {rule_id} in rules/*.toml"
    assert matches(RULES[rule_id], text), f"{rule_id} does not match {text!r}"


# ------------------------------------------------------------------ negatives
# Article sentences (and article subheadings) that talk about the same things.

NEGATIVE: list[str] = [
    # en
    "The company said it would share more details about the deal next week.",
    "Comments from the minister drew sharp criticism from opposition lawmakers on Tuesday.",
    "Many websites use cookies to track visitors, regulators said in a report.",
    "Privacy advocates say the new policy leaves millions of users exposed.",
    "Next, the committee will vote on the amendments.",
    "Previous attempts to pass the bill failed in 2019 and 2021.",
    "By Monday, the storm had moved out to sea.",
    "By the end of the season, the team had won 12 games.",
    "Posted in 2019, the video has been viewed millions of times.",
    "Tags on the luggage showed it had been checked in Frankfurt.",
    "Subscribe to the idea that markets always correct, and you will be disappointed.",
    "Read more about the plan on the city's website.",
    "Home prices rose 5% in March, the report said.",
    "All rights reserved, the label said in a statement, declining to comment further.",
    "The photo, © 2019 by the artist, was sold at auction for $2 million.",
    "Share prices fell 3% on Monday after the announcement.",
    "Reply to the letter was never sent, officials said.",
    "Leave a comment? Thousands of readers did, flooding the page within hours.",
    "Updated figures from 2020 show that the economy grew faster than expected.",
    "Published in 1995, the novel became an instant bestseller.",
    "March 2020 was the worst month in the airline's history.",
    "The newsletter, which has 40,000 subscribers, covers local politics.",
    "Follow the money, investigators were told.",
    "Facebook and Twitter removed the accounts on Friday.",
    "Terms of the deal were not disclosed.",
    "Contact with the crew was lost shortly after takeoff.",
    "About 200 people attended the rally.",
    "Categories of risk were defined by the regulator last year.",
    "Monday", "March", "Privacy", "Jobs", "Help", "Navigation", "Disclaimer", "Timeline", "Background",
    "UP NEXT", "Thunder: Host the Lakers on Friday.", "10 p.m.", "2019", "* * *",
    "In a statement, the company said it was reviewing the report.",
    "Design by committee rarely produces elegant results.",
    "The site, which is powered by WordPress, was hacked last week.",
    "Theme parks reopened on Saturday with strict capacity limits.",
    "Search teams found the missing hikers on Sunday morning.",
    "Most popular among young voters was the promise of free tuition.",
    "Related research has shown similar effects in mice.",
    "Sign up rates for the program doubled in the first month.",
    # de
    "Die Kommentare des Ministers sorgten am Dienstag für Empörung in der Opposition.",
    "Wir verwenden in diesem Rezept Butterkekse aus dem Supermarkt.",
    "Weiter sagte der Sprecher, man werde die Ergebnisse im Mai veröffentlichen.",
    "Von der Leyen kündigte am Mittwoch neue Sanktionen an.",
    "Teilen Sie diese Einschätzung? Viele Experten tun es nicht.",
    "Veröffentlicht wurde die Studie im Fachblatt Nature.",
    "Datenschutz ist für viele Nutzer ein wichtiges Thema, zeigt eine Umfrage.",
    "Schlagwörter wie Nachhaltigkeit prägen den Wahlkampf.",
    # fr
    "Les commentaires du ministre ont suscité une vive polémique mardi.",
    "Par ailleurs, le gouvernement a annoncé de nouvelles mesures.",
    "Ce site utilise des données publiques pour cartographier les inondations.",
    "Partager ses données personnelles reste un choix pour les utilisateurs.",
    "Publié en 1998, le roman a été traduit en trente langues.",
    "Suivant les recommandations du médecin, il a cessé de fumer.",
    # es
    "Los comentarios del presidente generaron polémica en el Congreso.",
    "Por la tarde, los manifestantes se dirigieron al centro de la ciudad.",
    "Utilizamos datos oficiales del Ministerio de Sanidad para este análisis.",
    "Publicado en 1990, el libro fue un éxito de ventas.",
    "Compartir piso es cada vez más habitual entre los jóvenes.",
    # it
    "Di Maio ha detto che il governo non cadrà.",
    "I commenti degli utenti sono stati moderati dalla redazione.",
    "Condividi la responsabilità, ha detto il sindaco ai cittadini.",
    "Pubblicato nel 2001, il saggio è diventato un classico.",
    # pt
    "Os comentários do ministro provocaram reações no Congresso.",
    "Por outro lado, o governo anunciou novas medidas.",
    "Utilizamos dados do instituto de estatística para esta reportagem.",
    "Seguinte a decisão do tribunal, o partido recorreu.",
    # nl
    "Door de regen werd de wedstrijd twee uur uitgesteld.",
    "De reacties op het voorstel waren overwegend negatief.",
    "Volgende week beslist de gemeenteraad over het plan.",
    "Deze website maakte vorig jaar een verlies van twee miljoen euro.",
    # pl
    "Komentarze polityków pojawiły się jeszcze tego samego dnia.",
    "Przez cały tydzień trwały protesty w centrum Warszawy.",
    "Następny krok to głosowanie w Senacie.",
    "Ta strona sporu nie zgadza się z wyrokiem sądu.",
    # ru
    "Комментарии министра вызвали бурную реакцию в соцсетях.",
    "Автор исследования считает, что результаты требуют проверки.",
    "Главная проблема, по словам экспертов, — нехватка кадров.",
    "Следующая встреча сторон запланирована на март.",
    "Мы используем эти данные только в научных целях.",
]


@pytest.mark.parametrize("text", NEGATIVE, ids=[t[:50] for t in NEGATIVE])
def test_no_rule_matches_article_text(text):
    assert matching_rules(text) == []


# ------------------------------------------------------------------ structure

def test_family_files_exist_and_every_rule_is_well_formed():
    seen: set[str] = set()
    for name, prefixes in FAMILY_FILES.items():
        path = RULES_DIR / name
        assert path.is_file(), name
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        assert set(data) <= {"rule"}, name
        assert data.get("rule"), f"{name} has no rules"
        for entry in data["rule"]:
            rid = entry["id"]
            assert rid not in seen, f"duplicate id {rid}"
            seen.add(rid)
            assert set(entry) <= RULE_KEYS, (rid, set(entry) - RULE_KEYS)
            assert rid.startswith(prefixes), (rid, name)
            assert regex.fullmatch(r"[a-z0-9][a-z0-9._-]*", rid), rid
            assert entry["name"].strip() and entry["description"].strip(), rid
            assert "pattern" in entry, rid
            assert isinstance(entry.get("max_chars"), int) and entry["max_chars"] > 0, f"{rid} has no max_chars bound"
            assert "domains" not in entry, f"{rid}: default rules are generic"
            assert entry.get("action", "drop") in {"drop", "drop-to-end"}, rid
            if entry.get("action") == "drop-to-end":
                assert entry.get("where") == "after-body", f"{rid}: drop-to-end must wait for the body"


def test_no_family_pattern_matches_an_empty_or_blank_block():
    for rid, rule in FAMILY_RULES.items():
        assert rule["compiled"].search("") is None, rid
        assert rule["compiled"].search("   ".strip()) is None, rid


def test_every_family_rule_has_positive_examples():
    missing = sorted(set(FAMILY_RULES) - set(POSITIVE))
    assert not missing, f"rules without examples: {missing}"


def test_no_site_specific_strings_in_family_rules():
    banned = ("mls", "jersey", "air jordan", "dunk", "zhang hanhui")
    for name in FAMILY_FILES:
        text = (RULES_DIR / name).read_text(encoding="utf-8").lower()
        for word in banned:
            assert not regex.search(r"\b" + word + r"\b", text), (name, word)


MONTHS = {
    "en": "January February March April May June July August September October November December",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
    "pl": "styczeń luty marzec kwiecień maj czerwiec lipiec sierpień wrzesień październik listopad grudzień",
    "ru": "Январь Февраль Март Апрель Май Июнь Июль Август Сентябрь Октябрь Ноябрь Декабрь",
}
# the genitive forms Polish and Russian use in dates ("3 marca 2021", "3 марта 2021")
MONTHS_IN_DATES = dict(MONTHS, pl="stycznia lutego marca kwietnia maja czerwca lipca sierpnia września października listopada grudnia",
                       ru="января февраля марта апреля мая июня июля августа сентября октября ноября декабря")
WEEKDAYS = {
    "en": "Monday Tuesday Wednesday Thursday Friday Saturday Sunday",
    "de": "Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag",
    "fr": "lundi mardi mercredi jeudi vendredi samedi dimanche",
    "es": "lunes martes miércoles jueves viernes sábado domingo",
    "it": "lunedì martedì mercoledì giovedì venerdì sabato domenica",
    "pt": "segunda-feira terça-feira quarta-feira quinta-feira sexta-feira sábado domingo",
    "nl": "maandag dinsdag woensdag donderdag vrijdag zaterdag zondag",
    "pl": "poniedziałek wtorek środa czwartek piątek sobota niedziela",
    "ru": "понедельник вторник среда четверг пятница суббота воскресенье",
}


@pytest.mark.parametrize("lang", sorted(MONTHS))
def test_every_month_and_weekday_is_a_date_word(lang):
    # The date-word lists are written out in several rules; every copy must know every month.
    for month in MONTHS[lang].split():
        assert matches(RULES["sidebar.archive-month"], f"{month} 2023"), month
    for month in MONTHS_IN_DATES[lang].split():
        assert matches(RULES["byline.dateline"], f"3 {month} 2021"), month
        assert matches(RULES["byline.dateline"], f"Published: 3 {month} 2021"), month
        assert matches(RULES["byline.author"], f"By Jane Doe on 3 {month} 2021"), month
    for day in WEEKDAYS[lang].split():
        assert matches(RULES["byline.dateline"], f"{day}, 3 {MONTHS_IN_DATES[lang].split()[2]} 2021"), day
    assert not matches(RULES["sidebar.archive-month"], MONTHS[lang].split()[2])  # a month alone may head a section


def test_a_match_never_runs_into_the_next_block():
    # The engine searches many short blocks joined by newlines; a rule that matches
    # a block must match it within that block, so its neighbours are judged alone.
    for rid, texts in POSITIVE.items():
        rule = RULES[rid]
        for text in texts:
            joined = text + "\nThe next paragraph of the article goes on here."
            m = rule["compiled"].search(joined)
            if m is not None:
                assert m.end() <= len(text), (rid, text)

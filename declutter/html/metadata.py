"""Facts about an HTML page from its markup: title, publication date, author,
site name, language, canonical URL, description — each only where the page
states it (Open Graph and other <meta> tags, JSON-LD, <html lang>, <link
rel=canonical>, <time>, the <title> and the first <h1>)."""
from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from lxml import etree

__all__ = ["article_body", "clean_title", "json_ld_objects", "page_metadata"]

_JSON_LD = etree.XPath("//script[contains(translate(@type, 'JSONLD', 'jsonld'), 'ld+json')]")
# (found from the attributes: faster than testing every element for one)
_ITEMPROP = etree.XPath("//@itemprop/parent::*[not(self::meta)]")
# the tags page_metadata reads, all found in one walk of the tree
_TAGS = ("meta", "title", "h1", "link", "script", "time")
# XPath's translate(x, 'CANONIL', 'canonil') and translate(x, 'JSONLD', 'jsonld')
_CANONICAL_LOWER = str.maketrans("CANONIL", "canonil")
_JSON_LD_LOWER = str.maketrans("JSONLD", "jsonld")
_AUTHOR_LINK = etree.XPath("(//a[@rel='author'])[1]")
_SPACE = re.compile(r"\s+")
_BY = re.compile(r"^(?:by|von|par|por|di|door|przez|автор:?)\s+", re.I)
_TITLE_SEPARATORS = re.compile(r"\s+(?:[|\-–—:·•»«/]|::)\s+")

# <meta name|property> -> our key, most trusted first per key
_META_KEYS = {
    "og:title": "title", "twitter:title": "title", "dc.title": "title",
    "article:published_time": "date", "og:article:published_time": "date", "datepublished": "date",
    "pubdate": "date", "publishdate": "date", "date": "date", "dc.date": "date",
    "dc.date.issued": "date", "sailthru.date": "date", "parsely-pub-date": "date",
    "author": "author", "article:author": "author", "dc.creator": "author", "parsely-author": "author",
    "sailthru.author": "author", "byl": "author",
    "og:site_name": "site_name", "application-name": "site_name",
    "og:url": "url",
    "og:description": "description", "description": "description", "twitter:description": "description",
    "og:locale": "locale", "content-language": "locale",
}


def _text(s: str | None) -> str:
    return _SPACE.sub(" ", s or "").strip()


def json_ld_objects(root: etree._Element) -> Iterator[dict[str, Any]]:
    """Every JSON object in the page's JSON-LD scripts (lists and @graph flattened)."""
    return _objects(_JSON_LD(root))


def _is_json_ld(script: etree._Element) -> bool:
    return "ld+json" in (script.get("type") or "").translate(_JSON_LD_LOWER)


def _is_canonical(link: etree._Element) -> bool:
    return link.get("href") is not None and (
        " canonical " in f" {(link.get('rel') or '').translate(_CANONICAL_LOWER)} ")


def _objects(scripts: list[etree._Element]) -> Iterator[dict[str, Any]]:
    for script in scripts:
        raw = (script.text or "").strip()
        if not raw:
            continue
        try:
            data = json.loads(raw)
        except (ValueError, RecursionError):
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(reversed(graph))
                yield item


def article_body(markup: str) -> str | None:
    """The longest articleBody of the page's JSON-LD objects, or None. Reads
    the markup afresh: the block builder drops scripts from its tree."""
    if "articlebody" not in markup.lower():
        return None
    from .dom import parse

    root = parse(markup).root
    if root is None:
        return None
    bodies = [o["articleBody"] for o in json_ld_objects(root) if isinstance(o.get("articleBody"), str)]
    return max(bodies, key=len).strip() or None if bodies else None


def _ld_name(value: Any) -> str | None:
    if isinstance(value, str):
        return _text(value) or None
    if isinstance(value, dict):
        return _ld_name(value.get("name"))
    if isinstance(value, list):
        names = [n for n in (_ld_name(v) for v in value) if n]
        return ", ".join(dict.fromkeys(names)) or None
    return None


def clean_title(title: str, site_name: str | None) -> str:
    """A <title> without the site name ("Headline | Site" -> "Headline")."""
    parts = _TITLE_SEPARATORS.split(title)
    if len(parts) < 2:
        return title
    if site_name:
        site = site_name.lower()
        kept = [p for p in parts if p.lower() != site and site not in p.lower()]
        if kept and len(kept) < len(parts):
            return " - ".join(kept)
    # no site name known: the longest part is the headline
    return max(parts, key=len)


def page_metadata(root: etree._Element) -> dict[str, Any]:
    """What the page says about itself; keys only where a value was found."""
    found: dict[str, str] = {}
    # what XPath's //tag finds, by tag, in document order
    tagged: dict[str, list[etree._Element]] = {tag: [] for tag in _TAGS}
    for el in root.iter(*_TAGS):
        tagged[el.tag].append(el)  # type: ignore[index]
    for meta in tagged["meta"]:
        if meta.get("content") is None:
            continue
        key = (meta.get("property") or meta.get("name") or meta.get("itemprop")
               or meta.get("http-equiv") or "").strip().lower()
        ours = _META_KEYS.get(key)
        if ours and ours not in found:
            value = _text(meta.get("content"))
            if value and not (ours == "author" and value.startswith("http")):
                found[ours] = value
    for obj in _objects([script for script in tagged["script"] if _is_json_ld(script)]):
        kind = obj.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if not any(isinstance(k, str) and (k.endswith("Article") or k in ("BlogPosting", "Report", "WebPage"))
                   for k in kinds):
            continue
        if "date" not in found and isinstance(obj.get("datePublished"), str):
            found["date"] = obj["datePublished"].strip()
        if "author" not in found and (name := _ld_name(obj.get("author"))):
            found["author"] = name
        if "site_name" not in found and (name := _ld_name(obj.get("publisher"))):
            found["site_name"] = name
        if "title" not in found and isinstance(obj.get("headline"), str) and obj["headline"].strip():
            found["title"] = _text(obj["headline"])
    itemprops = _ITEMPROP(root) if "date" not in found or "author" not in found else []
    if "date" not in found:
        for el in itemprops:
            prop = el.get("itemprop", "").lower()
            if prop == "datepublished":
                found["date"] = _text(el.get("datetime") or el.get("content") or el.text)
                break
        else:
            times = [t for t in tagged["time"] if t.get("datetime") is not None]
            if times:
                found["date"] = _text(times[0].get("datetime"))
    if "author" not in found:
        for el in itemprops:
            if el.get("itemprop", "").lower() == "author":
                name = _text(el.get("content") or "".join(el.itertext()))
                if name and len(name) < 100:
                    found["author"] = name
                    break
        else:
            links = _AUTHOR_LINK(root)
            if links:
                name = _text("".join(links[0].itertext()))
                if name and len(name) < 100:
                    found["author"] = name
    if "title" not in found:
        titles = tagged["title"]
        raw = _text("".join(titles[0].itertext())) if titles else ""
        h1s = tagged["h1"]
        h1 = _text("".join(h1s[0].itertext())) if len(h1s) == 1 else ""
        if h1 and (not raw or h1.lower() in raw.lower()):
            found["title"] = h1
        elif raw:
            found["title"] = clean_title(raw, found.get("site_name"))
        elif h1:
            found["title"] = h1
    canonical = [link.get("href", "") for link in tagged["link"] if _is_canonical(link)]
    if canonical and canonical[0].strip():
        found["canonical_url"] = canonical[0].strip()
    elif "url" in found:
        found["canonical_url"] = found["url"]
    found.pop("url", None)
    if "author" in found:
        found["author"] = _BY.sub("", found["author"]) or found["author"]
    lang = root.get("lang") or root.get("{http://www.w3.org/XML/1998/namespace}lang") or found.get("locale")
    found.pop("locale", None)
    if lang and lang.strip():
        found["language"] = lang.strip().replace("_", "-").split("-")[0].lower()
    return dict(found)

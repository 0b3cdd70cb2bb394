#!/usr/bin/env python3
"""Writes a deterministic synthetic guidance site for benchmarks, in the layouts of folio,
Hugo, Zola and mdBook, each with a minimal real template: a section lists its pages, and a
page lists its booklet's chapters where the tool can, and links the previous and next page.
Zola's layout comes twice: `zola` with the chapter list, `zola-prevnext` without it.

    bench/generate.py --pages 1000 --out bench/out/1000 [--seed 1]

Every page has about 1,000 words of plain guidance text, headings (h2, h3), a list, a table
with a header row, links to other pages and a block quote; one page in ten has a fenced code
block. Pages are grouped into booklets of 50. The same seed gives the same bytes.
"""

import argparse
import os
import random
import shutil

BOOKLET_SIZE = 50

SUBJECTS = [
    "The council", "Each member", "The school", "The team", "A social worker",
    "The carer", "Each partner", "The board", "A young person", "The nurse",
    "The head teacher", "The lead member", "Your team", "The service",
]
VERBS = [
    "checks", "asks about", "looks at", "plans", "helps with", "writes down", "explains",
    "listens to", "follows up", "shares", "agrees", "talks about",
]
OBJECTS = [
    "the care plan", "school work", "the school plan", "health checks", "a safe home",
    "the next steps", "what the child wants", "money for training", "the next review",
    "time with family", "the pledge", "work for young people", "how each child is",
    "the budget", "help after care",
]
ENDINGS = [
    "each term", "before each review", "with the young person", "in plain words",
    "as a good parent would", "without delay", "at each meeting", "when things change",
    "and keeps a note", "so that nothing is missed",
]
TOPICS = [
    "Keeping plans up to date", "Listening to young people", "School and learning",
    "Health and well-being", "Somewhere safe to live", "Money and work",
    "Working with partners", "Checking what happens", "Leaving care", "Asking good questions",
]
WORDS = ["care", "plan", "school", "health", "home", "review", "support", "training"]


def sentence(rng):
    return "{} {} {} {}.".format(
        rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS), rng.choice(ENDINGS)
    )


def paragraph(rng, sentences):
    return " ".join(sentence(rng) for _ in range(sentences))


class Page:
    def __init__(self, index, booklet, position):
        self.index = index  # 0-based over the whole site
        self.booklet = booklet  # 0-based
        self.position = position  # 1-based within the booklet
        self.slug = "chapter-{:03d}".format(position)
        self.folder = "booklet-{:03d}".format(booklet + 1)
        self.title = "Chapter {} of booklet {}: {}".format(
            position, booklet + 1, TOPICS[(index + booklet) % len(TOPICS)]
        )
        # Link text: says where the link goes, in few words.
        self.short = "chapter {} of booklet {}".format(position, booklet + 1)


def plan(pages):
    return [Page(i, i // BOOKLET_SIZE, i % BOOKLET_SIZE + 1) for i in range(pages)]


def body(rng, page, pages, link):
    """The Markdown body of a page; `link(target)` writes a link to another page."""
    parts = []
    others = [pages[(page.index + step) % len(pages)] for step in (1, 7, 31)]
    for part in range(1, 5):
        parts.append("## Part {}: {}".format(part, rng.choice(TOPICS).lower()))
        parts.append(paragraph(rng, 8))
        parts.append("### What to check in part {}".format(part))
        parts.append(paragraph(rng, 6))
        if part == 1:
            parts.append("\n".join("- " + sentence(rng) for _ in range(5)))
        if part == 2:
            rows = ["| Who | What they do | How often |", "| --- | --- | --- |"]
            for _ in range(5):
                rows.append("| {} | {} {} | {} |".format(
                    rng.choice(SUBJECTS), rng.choice(VERBS), rng.choice(OBJECTS),
                    rng.choice(ENDINGS)))
            parts.append("\n".join(rows))
        if part == 3:
            parts.append("> " + paragraph(rng, 2))
            for other in others:
                parts.append("There is more on this in {}.".format(link(other)))
        if part == 4 and page.index % 10 == 0:
            parts.append("```yaml\nreview_by: 2027-06-30\nowner: Head of Service\n```")
        parts.append(paragraph(rng, 8))
    return "\n\n".join(parts) + "\n"


def write(path, text):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write(text)


def folio(out, pages, seed):
    root = os.path.join(out, "folio")
    write(os.path.join(root, "site.yaml"),
          "title: Benchmark guidance\nbase_url: https://bench.example/\n"
          "organisation:\n  name: Benchmark Council\n")
    write(os.path.join(root, "content/_index.md"),
          "---\ntitle: Benchmark guidance\n---\n\nEvery booklet of this site is listed below.\n")
    booklets = sorted({p.booklet for p in pages})
    for b in booklets:
        write(os.path.join(root, "content/booklet-{:03d}/_index.md".format(b + 1)),
              "---\ntitle: Booklet {n}\norder: {n}\nkind: booklet\ndocument_control:\n"
              "  owner: Head of Service\n  version: \"1.0\"\n  status: approved\n  approved_by: Cabinet\n"
              "  approved_on: 2020-01-01\n  review_by: 2030-01-01\n---\n\n"
              "This is booklet {n}. Its chapters are listed below.\n".format(n=b + 1))
    rng = random.Random(seed)
    for page in pages:
        def link(target, page=page):
            return "[{}](../{}/{}.md)".format(target.short, target.folder, target.slug)
        text = "---\ntitle: \"{}\"\norder: {}\n---\n\n{}".format(
            page.title, page.position, body(rng, page, pages, link))
        write(os.path.join(root, "content", page.folder, page.slug + ".md"), text)


def hugo(out, pages, seed):
    root = os.path.join(out, "hugo")
    write(os.path.join(root, "hugo.toml"),
          'baseURL = "https://bench.example/"\ntitle = "Benchmark guidance"\n'
          'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n')
    write(os.path.join(root, "layouts/_default/baseof.html"),
          "<!doctype html><html lang=\"en-GB\"><head><meta charset=\"utf-8\">"
          "<title>{{ .Title }}</title></head><body><main>{{ block \"main\" . }}{{ end }}"
          "</main></body></html>\n")
    write(os.path.join(root, "layouts/index.html"),
          "{{ define \"main\" }}<h1>{{ .Title }}</h1><ul>{{ range .Sections }}"
          "<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}\n")
    write(os.path.join(root, "layouts/_default/list.html"),
          "{{ define \"main\" }}<h1>{{ .Title }}</h1>{{ .Content }}<ol>"
          "{{ range .Pages.ByWeight }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>"
          "{{ end }}</ol>{{ end }}\n")
    # Every page lists its booklet's chapters, as folio's does.
    write(os.path.join(root, "layouts/_default/single.html"),
          "{{ define \"main\" }}<h1>{{ .Title }}</h1><nav><ol>"
          "{{ range .CurrentSection.Pages.ByWeight }}<li><a href=\"{{ .RelPermalink }}\">{{ .Title }}</a></li>{{ end }}"
          "</ol></nav>{{ .Content }}<nav>"
          "{{ with .PrevInSection }}<a href=\"{{ .RelPermalink }}\">Previous: {{ .Title }}</a>{{ end }}"
          "{{ with .NextInSection }}<a href=\"{{ .RelPermalink }}\">Next: {{ .Title }}</a>{{ end }}"
          "</nav>{{ end }}\n")
    write(os.path.join(root, "content/_index.md"), "---\ntitle: Benchmark guidance\n---\n")
    for b in sorted({p.booklet for p in pages}):
        write(os.path.join(root, "content/booklet-{:03d}/_index.md".format(b + 1)),
              "---\ntitle: Booklet {n}\nweight: {n}\n---\n\nThis is booklet {n}.\n".format(n=b + 1))
    rng = random.Random(seed)
    for page in pages:
        def link(target):
            return "[{}](/{}/{}/)".format(target.short, target.folder, target.slug)
        write(os.path.join(root, "content", page.folder, page.slug + ".md"),
              "---\ntitle: \"{}\"\nweight: {}\n---\n\n{}".format(
                  page.title, page.position, body(rng, page, pages, link)))


def zola(out, pages, seed, chapters=True):
    """Zola's layout. With `chapters`, every page lists its booklet's chapters (Zola reaches
    them through `get_section`, which copies the section and its pages for every page);
    without, pages link only the previous and next one."""
    root = os.path.join(out, "zola" if chapters else "zola-prevnext")
    write(os.path.join(root, "config.toml"),
          'base_url = "https://bench.example"\ntitle = "Benchmark guidance"\n'
          "compile_sass = false\nbuild_search_index = false\ngenerate_feeds = false\n")
    write(os.path.join(root, "templates/index.html"),
          "<!doctype html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>{{ section.title }}"
          "</title></head><body><h1>{{ section.title }}</h1><ul>{% for s in section.subsections %}"
          "{% set sub = get_section(path=s) %}<li><a href=\"{{ sub.permalink }}\">{{ sub.title }}</a></li>"
          "{% endfor %}</ul></body></html>\n")
    write(os.path.join(root, "templates/section.html"),
          "<!doctype html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>{{ section.title }}"
          "</title></head><body><h1>{{ section.title }}</h1>{{ section.content | safe }}<ol>"
          "{% for p in section.pages %}<li><a href=\"{{ p.permalink }}\">{{ p.title }}</a></li>"
          "{% endfor %}</ol></body></html>\n")
    chapter_list = ("{% set booklet = get_section(path=page.ancestors | last) %}<nav><ol>"
                    "{% for p in booklet.pages %}<li><a href=\"{{ p.permalink }}\">{{ p.title }}</a></li>"
                    "{% endfor %}</ol></nav>") if chapters else ""
    write(os.path.join(root, "templates/page.html"),
          "<!doctype html><html lang=\"en-GB\"><head><meta charset=\"utf-8\"><title>{{ page.title }}"
          "</title></head><body><h1>{{ page.title }}</h1>" + chapter_list + "{{ page.content | safe }}<nav>"
          "{% if page.lower %}<a href=\"{{ page.lower.permalink }}\">Previous: {{ page.lower.title }}</a>{% endif %}"
          "{% if page.higher %}<a href=\"{{ page.higher.permalink }}\">Next: {{ page.higher.title }}</a>{% endif %}"
          "</nav></body></html>\n")
    write(os.path.join(root, "content/_index.md"), "+++\ntitle = \"Benchmark guidance\"\n+++\n")
    for b in sorted({p.booklet for p in pages}):
        write(os.path.join(root, "content/booklet-{:03d}/_index.md".format(b + 1)),
              "+++\ntitle = \"Booklet {n}\"\nsort_by = \"weight\"\nweight = {n}\n+++\n\n"
              "This is booklet {n}.\n".format(n=b + 1))
    rng = random.Random(seed)
    for page in pages:
        def link(target):
            return "[{}](/{}/{}/)".format(target.short, target.folder, target.slug)
        write(os.path.join(root, "content", page.folder, page.slug + ".md"),
              "+++\ntitle = \"{}\"\nweight = {}\n+++\n\n{}".format(
                  page.title, page.position, body(rng, page, pages, link)))


def mdbook(out, pages, seed):
    root = os.path.join(out, "mdbook")
    write(os.path.join(root, "book.toml"),
          "[book]\ntitle = \"Benchmark guidance\"\nlanguage = \"en-GB\"\n\n"
          "[output.html]\ntheme = \"theme\"\n\n[output.html.search]\nenable = false\n")
    # A minimal real theme (mdBook 0.5): the page, links to the previous and next chapter,
    # and the book's contents, which mdBook writes once to toc.html rather than into every
    # page.
    write(os.path.join(root, "theme/index.hbs"),
          "<!doctype html><html lang=\"{{ language }}\"><head><meta charset=\"utf-8\">"
          "<title>{{ title }}</title></head><body><main>{{{ content }}}</main><nav>"
          "<a href=\"{{ path_to_root }}toc.html\">Contents</a>"
          "{{#if previous}}<a href=\"{{ path_to_root }}{{previous.link}}\">Previous</a>{{/if}}"
          "{{#if next}}<a href=\"{{ path_to_root }}{{next.link}}\">Next</a>{{/if}}"
          "</nav></body></html>\n")
    summary = ["# Summary", ""]
    for b in sorted({p.booklet for p in pages}):
        folder = "booklet-{:03d}".format(b + 1)
        write(os.path.join(root, "src", folder, "README.md"),
              "# Booklet {n}\n\nThis is booklet {n}.\n".format(n=b + 1))
        summary.append("- [Booklet {}]({}/README.md)".format(b + 1, folder))
        for page in pages:
            if page.booklet == b:
                summary.append("  - [{}]({}/{}.md)".format(page.title, folder, page.slug))
    write(os.path.join(root, "src/SUMMARY.md"), "\n".join(summary) + "\n")
    rng = random.Random(seed)
    for page in pages:
        def link(target):
            return "[{}](../{}/{}.md)".format(target.short, target.folder, target.slug)
        write(os.path.join(root, "src", page.folder, page.slug + ".md"),
              "# {}\n\n{}".format(page.title, body(rng, page, pages, link)))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--pages", type=int, default=1000, help="number of chapter pages")
    parser.add_argument("--out", required=True, help="folder to write (replaced)")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--only", choices=["folio", "hugo", "zola", "mdbook"],
                        help="write one layout only")
    args = parser.parse_args()
    if os.path.exists(args.out):
        shutil.rmtree(args.out)
    pages = plan(args.pages)
    layouts = [("folio", folio), ("hugo", hugo), ("zola", zola),
               ("zola", lambda out, pages, seed: zola(out, pages, seed, chapters=False)),
               ("mdbook", mdbook)]
    for name, make in layouts:
        if args.only in (None, name):
            make(args.out, pages, args.seed)


if __name__ == "__main__":
    main()

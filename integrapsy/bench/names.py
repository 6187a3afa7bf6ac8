"""Fictional names drawn as names are in life: a few very common, a long tail, many spellings.

A search is only measured fairly on names distributed like real ones. Here a few thousand
first names and surnames are built from common roots of the regions the teams' persons come
from (the Horn of Africa, Afghanistan, the Arab world, Kurdistan, Central and West Africa,
Eastern Europe), each written in the ways French, Dutch and English transliterations write it
(Mohammed, Muhammad, Mouhamad...), with Arabic compounds (Abdul Rahman, Abdelkarim...). Names
are drawn with Zipf-like weights (the n-th name is drawn about 1/n as often as the first), the
same for a given seed. No list of real persons is used.
"""

from __future__ import annotations

import random
from functools import cache
from itertools import accumulate

from cases.persons.matching import name_key

# Common roots, most frequent first within each group.
FIRST_ROOTS = [
    "Mohammed", "Ahmed", "Ali", "Abdullah", "Mustafa", "Omar", "Youssef", "Ibrahim", "Hassan",
    "Hussein", "Khaled", "Mahmoud", "Said", "Karim", "Bilal", "Hamza", "Idris", "Ismail", "Yacoub",
    "Suleiman", "Jamal", "Nasser", "Rachid", "Tarek", "Walid", "Zakaria", "Anwar", "Faisal",
    "Ghulam", "Nasir", "Omid", "Farid", "Javid", "Rahim", "Wahid", "Zabihullah", "Habib",
    "Sayed", "Shafiq", "Najib", "Jawad", "Masoud", "Reza", "Hamid", "Mehdi",
    "Yonas", "Dawit", "Tesfay", "Berhane", "Kidane", "Yohannes", "Samuel", "Daniel", "Filmon",
    "Merhawi", "Habtom", "Abel", "Mulugeta", "Girmay", "Biniam",
    "Abdirahman", "Abdi", "Mahad", "Liban", "Farah", "Guled", "Hodan",
    "Amina", "Fatima", "Aisha", "Mariam", "Khadija", "Zahra", "Layla", "Nour", "Salma", "Hawa",
    "Jamila", "Samira", "Rania", "Hanan", "Yasmin", "Zainab", "Soraya", "Farida", "Elham",
    "Nasrin", "Parwin", "Shirin", "Roya", "Marzia", "Fereshta", "Habiba", "Malalai",
    "Hewan", "Rahel", "Saba", "Selam", "Mebrat", "Senait", "Tsega", "Helen", "Ruth", "Winta",
    "Ifrah", "Sahra", "Ayan", "Deka", "Asha",
    "Shilan", "Rojda", "Berivan", "Dilan", "Serwan", "Azad", "Rebin", "Karwan",
    "Moussa", "Mamadou", "Ousmane", "Aliou", "Ibrahima", "Abdoulaye", "Fatoumata", "Aminata",
    "Mariama", "Kadiatou", "Jean", "Patrick", "Christelle", "Grace", "Esther", "Blessing",
    "Olena", "Oksana", "Iryna", "Natalia", "Andriy", "Oleksandr", "Dmytro", "Giorgi", "Nino",
    "Tamar", "Levan", "Armen", "Anahit", "Arben", "Besnik", "Valbona",
]  # fmt: skip
LAST_ROOTS = [
    "Ahmadi", "Mohammadi", "Hussaini", "Rahimi", "Karimi", "Haidari", "Noori", "Sultani",
    "Hashimi", "Sadat", "Stanikzai", "Popal", "Wardak", "Yusufzai", "Safi", "Jalali", "Rezaei",
    "Hosseini", "Amiri", "Azizi", "Nazari", "Habibi", "Qaderi", "Sharifi", "Mansoori",
    "Tesfaye", "Kebede", "Ghebre", "Habte", "Zerai", "Tekle", "Berhe", "Gebremedhin", "Haile",
    "Woldemichael", "Mesfin", "Asmerom", "Tesfamariam", "Kidane", "Yohannes", "Andemariam",
    "Abdi", "Osman", "Dirie", "Farah", "Warsame", "Hassan", "Mohamud", "Jama", "Ali", "Aden",
    "Yusuf", "Hersi", "Guled", "Omar", "Nur",
    "Ibrahim", "Mahmoud", "Said", "Saleh", "Mansour", "Haddad", "Khalil", "Nasser", "Hamdan",
    "Bakri", "Idris", "Ismail", "Suleiman", "Mustafa", "Othman", "Yassin", "Darwish", "Awad",
    "Barzani", "Talabani", "Zebari", "Rashid", "Aziz", "Qasim", "Jaff",
    "Diallo", "Bah", "Barry", "Sow", "Camara", "Traore", "Keita", "Toure", "Konate", "Sylla",
    "Kamara", "Coulibaly", "Cisse", "Diop", "Ndiaye", "Mbala", "Kabongo", "Mukendi", "Ilunga",
    "Tshibanda", "Nkosi", "Okafor", "Adeyemi", "Mensah",
    "Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko", "Melnyk", "Kravchenko", "Boyko",
    "Beridze", "Kapanadze", "Gelashvili", "Petrosyan", "Grigoryan", "Hovhannisyan", "Hoxha",
    "Krasniqi", "Gashi", "Berisha",
]  # fmt: skip
# Roots that take an Arabic compound ("Abdul Rahman", "Abdelkarim"), as first names and surnames.
COMPOUND_ROOTS = ["Rahman", "Karim", "Rahim", "Aziz", "Qadir", "Latif", "Hamid", "Majid", "Salam", "Wahab"]
COMPOUND_PREFIXES = ["Abdul ", "Abdel", "Abd al-", "Abdoul", "Abdel "]
# How each transliteration tends to rewrite a name: (what, into what), each applied alone.
RESPELLINGS = [
    ("ohamm", "uhamm"),
    ("ohamm", "ouham"),
    ("mm", "m"),
    ("ed", "ad"),
    ("ou", "u"),
    ("u", "ou"),
    ("ss", "s"),
    ("kh", "h"),
    ("y", "i"),
    ("i", "y"),
    ("ee", "i"),
    ("oo", "ou"),
    ("q", "k"),
    ("k", "c"),
    ("j", "dj"),
    ("sh", "ch"),
    ("ch", "sh"),
    ("w", "ou"),
    ("e", "é"),
    ("a", "e"),
    ("t", "th"),
    ("s", "z"),
    ("f", "ph"),
    ("o", "ou"),
    ("ie", "i"),
    ("a", "aa"),
]
ZIPF_EXPONENT = 1.05


def spellings(name: str, most: int = 4) -> list[str]:
    """The name and up to ``most - 1`` other ways it is written, the name itself first."""
    out = [name]
    lower = name.lower()
    key = name_key(name)
    for old, new in RESPELLINGS:
        if len(out) >= most:
            break
        i = lower.find(old, 1)  # keep the first letter: it is how people say their name
        if i < 0:
            continue
        variant = name[:i] + new + name[i + len(old) :]
        # A spelling the search would not take for the same name is another name, not a variant.
        if variant not in out and name_key(variant) == key:
            out.append(variant)
    return out


# How a root's frequency splits among its spellings: the usual one, then the others.
SPELLING_SHARES = [0.45, 0.2, 0.12, 0.08, 0.06, 0.05, 0.04]
# Surnames are often a father's first name (Horn of Africa, Afghanistan), or take an article.
ARTICLES = ["Al-", "El "]


def _compounds() -> list[str]:
    return [p + (r if p.endswith((" ", "-")) else r.lower()) for r in COMPOUND_ROOTS for p in COMPOUND_PREFIXES]


def _weighted(roots: list[str]) -> tuple[list[str], list[float]]:
    """Every spelling of every root with its weight: Zipf over the roots, shared among spellings."""
    weights: dict[str, float] = {}
    for rank, root in enumerate(roots, start=1):
        for share, name in zip(SPELLING_SHARES, spellings(root, most=len(SPELLING_SHARES)), strict=False):
            weights[name] = weights.get(name, 0.0) + share / rank**ZIPF_EXPONENT
    return list(weights), list(accumulate(weights.values()))


def _spread(main: list[str], *rarer: list[str], every: int = 6) -> list[str]:
    """The main roots in their order, with one of each rarer group after every ``every`` of them."""
    out: list[str] = []
    queues = [list(g) for g in rarer]
    for i, root in enumerate(main, start=1):
        out.append(root)
        if i % every == 0:
            out.extend(q.pop(0) for q in queues if q)
    for q in queues:
        out.extend(q)
    return list(dict.fromkeys(out))


@cache
def first_names() -> tuple[list[str], list[float]]:
    """The first names and their cumulative weights."""
    doubles = ["Mohammed " + r for r in FIRST_ROOTS[1:25]]  # Mohammed Ali, Mohammed Karim...
    return _weighted(_spread(FIRST_ROOTS, _compounds(), doubles))


@cache
def last_names() -> tuple[list[str], list[float]]:
    """The surnames and their cumulative weights."""
    arabic = [a + r for r in LAST_ROOTS[55:75] for a in ARTICLES]
    fathers = [r for r in FIRST_ROOTS[:66] if r not in LAST_ROOTS]
    return _weighted(_spread(LAST_ROOTS, fathers, _compounds(), arabic, every=3))


def draw_names(count: int, seed: int = 2026) -> tuple[list[str], list[str]]:
    """``count`` first names and ``count`` surnames, Zipf-distributed, the same for a seed."""
    rng = random.Random(seed)
    (firsts, first_weights), (lasts, last_weights) = first_names(), last_names()
    return rng.choices(firsts, cum_weights=first_weights, k=count), rng.choices(
        lasts, cum_weights=last_weights, k=count
    )

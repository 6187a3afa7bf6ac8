"""Nationality becomes an ISO 3166 code (django-countries) on persons and referrals.

The free texts written so far are mapped to codes by ``nationality_code``: the country names
of django-countries' French, Dutch and English catalogues, the usual adjectives and short
forms in those languages (``VARIANTS``), compared without case, accents or punctuation, and
a close misspelling of one of them. A text that names no country, or more than one ("Congo",
"Érythrée / Éthiopie"), keeps its code empty and is kept in ``nationality_original`` for an
administrator to resolve ("Nationalities to resolve").
"""

from __future__ import annotations

import difflib
import functools
import re
import unicodedata

import django_countries.fields
from django.db import migrations, models
from django.utils import translation

import cases.persons.nationality

STATELESS = "XX"
UNKNOWN = "ZZ"

# "(e)" and "(ne)" give the feminine forms: "érythréen(ne)" is "érythréen" and "érythréenne".
VARIANTS: dict[str, tuple[str, ...]] = {
    STATELESS: (
        "apatride",
        "stateless",
        "staatloos",
        "staatloze",
        "statenloos",
        "sans nationalité",
        "no nationality",
        "geen nationaliteit",
        "bidoun",
        "bidoon",
    ),
    UNKNOWN: (
        "inconnu(e)",
        "nationalité inconnue",
        "non connu(e)",
        "non renseigné(e)",
        "ne sait pas",
        "nc",
        "nd",
        "n/a",
        "?",
        "unknown",
        "not known",
        "onbekend",
        "onbekende",
        "nationaliteit onbekend",
    ),
    "AF": ("afghan(e)", "afghaans", "afghaanse", "afganistan", "afghanestan"),
    "AL": ("albanais(e)", "albanian", "albanees", "albanese"),
    "DZ": ("algérien(ne)", "algerian", "algerijns", "algerijnse"),
    "AO": ("angolais(e)", "angolan", "angolees", "angolese"),
    "AM": ("arménien(ne)", "armenian", "armeens", "armeense"),
    "AZ": ("azerbaïdjanais(e)", "azerbaijani", "azerbeidzjaans", "azerbeidzjaanse"),
    "BD": ("bangladais(e)", "bangladeshi", "bengali", "bengalees", "bengalese"),
    "BY": ("biélorusse", "bélarus", "belarusian", "wit-rusland", "wit-russisch", "wit-russische"),
    "BJ": ("béninois(e)", "beninese", "benins", "beninse"),
    "BA": ("bosnien(ne)", "bosnie", "bosnia", "bosnian", "bosnisch", "bosnische", "bosnië"),
    "BR": ("brésilien(ne)", "brazilian", "braziliaans", "braziliaanse"),
    "BF": ("burkinabè", "burkinabe", "burkinees", "burkinese"),
    "BI": ("burundais(e)", "burundian", "burundees", "burundese"),
    "CM": ("camerounais(e)", "cameroonian", "kameroens", "kameroense", "kameroen"),
    "CF": (
        "centrafricain(e)",
        "centrafrique",
        "central african",
        "central african republic",
        "car",
        "centraal-afrikaans",
        "centraal-afrikaanse",
    ),
    "TD": ("tchadien(ne)", "chadian", "tsjadisch", "tsjadische"),
    "CN": ("chinois(e)", "chinese", "chinees"),
    "CO": ("colombien(ne)", "colombian", "colombiaans", "colombiaanse"),
    "CD": (
        "rdc",
        "r.d.c.",
        "rd congo",
        "r.d. congo",
        "congo rdc",
        "congo (rdc)",
        "congo-kinshasa",
        "congo kinshasa",
        "république démocratique du congo",
        "drc",
        "dr congo",
        "democratic republic of congo",
        "democratische republiek congo",
        "congolais(e) (rdc)",
    ),
    "CG": ("congo-brazzaville", "congo brazzaville", "congo brazza", "république du congo", "republic of the congo"),
    "CI": ("côte d'ivoire", "cote divoire", "ivoirien(ne)", "ivory coast", "ivorian", "ivoriaans", "ivoriaanse"),
    "EG": ("égyptien(ne)", "egyptian", "egyptisch", "egyptische"),
    "ER": (
        "érythréen(ne)",
        "erythree",
        "eritrée",
        "eritreen(ne)",
        "eritrean",
        "eritrees",
        "eritrese",
        "erytrea",
    ),
    "ET": ("éthiopien(ne)", "ethiopian", "ethiopisch", "ethiopische", "ethiopië"),
    "GM": ("gambien(ne)", "gambian", "gambiaans", "gambiaanse"),
    "GE": ("géorgien(ne)", "georgian", "georgisch", "georgische"),
    "GH": ("ghanéen(ne)", "ghanaian", "ghanees", "ghanese"),
    "GN": ("guinéen(ne)", "guinée conakry", "guinée-conakry", "guinea conakry", "guinean", "guinees", "guinese"),
    "GW": ("bissau-guinéen(ne)", "guinée bissau", "guinea bissau"),
    "HT": ("haïtien(ne)", "haitian", "haïtiaans", "haïtiaanse"),
    "IN": ("indien(ne)", "indian", "indiaas", "indiase"),
    "IR": ("iranien(ne)", "iranian", "iraans", "iraanse", "perse"),
    "IQ": ("irakien(ne)", "iraqi", "irak", "iraq", "iraaks", "iraakse"),
    "JO": ("jordanien(ne)", "jordanian", "jordaans", "jordaanse"),
    "KE": ("kényan(e)", "kenyan", "keniaans", "keniaanse"),
    "XK": ("kosovar(e)", "kosovo", "kosovan", "kosovaar", "kosovaars", "kosovaarse"),
    "KW": ("koweïtien(ne)", "kuwaiti", "koeweits", "koeweitse"),
    "LB": ("libanais(e)", "lebanese", "libanees", "libanese"),
    "LR": ("libérien(ne)", "liberian", "liberiaans", "liberiaanse"),
    "LY": ("libyen(ne)", "libyan", "libisch", "libische"),
    "ML": ("malien(ne)", "malian", "malinees", "malinese"),
    "MR": ("mauritanien(ne)", "mauritanian", "mauritaans", "mauritaanse"),
    "MD": ("moldave", "moldovan", "moldavisch", "moldavische", "moldavië"),
    "MA": ("marocain(e)", "moroccan", "marokkaans", "marokkaanse"),
    "MM": ("birman(e)", "birmanie", "burma", "burmese", "birma", "birmees", "myanmarees"),
    "NP": ("népalais(e)", "nepalese", "nepali", "nepalees"),
    "NE": ("nigérien(ne)", "nigerien", "nigerees", "nigerese"),
    "NG": ("nigérian(e)", "nigerian", "nigeriaans", "nigeriaanse"),
    "PK": ("pakistanais(e)", "pakistani", "pakistaans", "pakistaanse"),
    "PS": ("palestine", "palestinien(ne)", "palestinian", "palestijns", "palestijnse", "palestina", "gaza"),
    "RU": ("russe", "russian", "russisch", "russische", "fédération de russie", "russian federation"),
    "RW": ("rwandais(e)", "rwandan", "rwandees", "rwandese"),
    "SN": ("sénégalais(e)", "senegalese", "senegalees"),
    "RS": ("serbe", "serbian", "servisch", "servische"),
    "SL": ("sierra-léonais(e)", "sierra leonean", "sierra leoons", "sierra leoonse"),
    "SO": ("somalien(ne)", "somali(e)", "somalian", "somalisch", "somalische"),
    "SS": ("sud-soudanais(e)", "south sudanese", "zuid-soedan", "zuid-soedanees", "zuid-soedanese"),
    "SD": ("soudanais(e)", "sudanese", "soedanees", "soedanese"),
    "LK": ("sri-lankais(e)", "sri lankan", "sri lankaans", "sri lankaanse"),
    "SY": ("syrien(ne)", "syrian", "syrisch", "syrische", "syrie", "syria"),
    "TJ": ("tadjik(e)", "tajik", "tadzjieks", "tadzjiekse"),
    "TZ": ("tanzanien(ne)", "tanzanian", "tanzaniaans", "tanzaniaanse"),
    "TG": ("togolais(e)", "togolese", "togolees"),
    "TN": ("tunisien(ne)", "tunisian", "tunesisch", "tunesische"),
    "TR": ("turc", "turque", "turkish", "turkey", "turks", "turkse"),
    "UG": ("ougandais(e)", "ugandan", "oegandees", "oegandese"),
    "UA": ("ukrainien(ne)", "ukrainian", "oekraïens", "oekraïense"),
    "GB": ("uk", "britannique", "british", "brits", "britse", "angleterre", "england"),
    "US": ("usa", "us", "américain(e)", "american", "amerikaans", "amerikaanse", "états-unis", "united states"),
    "UZ": ("ouzbek(e)", "uzbek", "oezbeeks", "oezbeekse"),
    "VE": ("vénézuélien(ne)", "venezuelan", "venezolaans", "venezolaanse"),
    "VN": ("vietnamien(ne)", "vietnamese", "vietnamees", "viet nam"),
    "YE": ("yéménite", "yemeni", "jemenitisch", "jemenitische"),
    "ZW": ("zimbabwéen(ne)", "zimbabwean", "zimbabwaans", "zimbabwaanse"),
    "FR": ("français(e)", "french", "frans", "franse"),
    "BE": ("belge", "belgian", "belg", "belgisch", "belgische"),
}

# Texts that name more than one country: an administrator decides.
AMBIGUOUS = frozenset({"congo", "congolais", "congolaise", "congolese", "congolees", "coree", "korea"})

LANGUAGES = ("fr", "nl", "en")
FUZZY_MIN_LENGTH = 6
FUZZY_CUTOFF = 0.9


def normalise(text: str) -> str:
    """Lower case, without accents, punctuation or repeated spaces: "Côte-d'Ivoire" -> "cote d ivoire"."""
    text = unicodedata.normalize("NFKD", text or "")
    text = "".join(c for c in text if not unicodedata.combining(c)).casefold()
    text = re.sub(r"[^\w?]+", " ", text)
    return " ".join(text.split())


def _forms(variant: str) -> list[str]:
    match = re.fullmatch(r"(.*)\((e|ne)\)(.*)", variant)
    if match is None:
        return [variant]
    stem, ending, rest = match.groups()
    return [stem + rest, stem + ending + rest]


@functools.cache
def _index() -> dict[str, str]:
    """Normalised name -> code, from the catalogues and the variants above."""
    countries = cases.persons.nationality.NationalityCountries()
    index: dict[str, str] = {}
    for language in LANGUAGES:
        with translation.override(language):
            for code, name in countries:
                index.setdefault(normalise(str(name)), code)
    for code in countries.countries:
        alpha3 = countries.alpha3(code)
        if alpha3:
            index.setdefault(normalise(alpha3), code)
    for code, variants in VARIANTS.items():
        for variant in variants:
            for form in _forms(variant):
                index[normalise(form)] = code
    for text in AMBIGUOUS:
        index.pop(normalise(text), None)
    return index


def nationality_code(text: str) -> str:
    """The country code a free-text nationality names, or "" when it names none or several."""
    index = _index()
    key = normalise(text)
    if not key:
        return ""
    if key in index:
        return index[key]
    # "Afghanistan (Kaboul)": what is around the brackets.
    bare = normalise(re.sub(r"\([^)]*\)", " ", text))
    if bare and bare != key and bare in index:
        return index[bare]
    if len(key) < FUZZY_MIN_LENGTH or key in AMBIGUOUS:
        return ""
    close = difflib.get_close_matches(key, index.keys(), n=3, cutoff=FUZZY_CUTOFF)
    codes = {index[match] for match in close}
    return codes.pop() if len(codes) == 1 else ""


def _forward(apps, schema_editor):
    for model_name in ("Person", "Referral"):
        model = apps.get_model("cases", model_name)
        texts = model.objects.exclude(nationality="").values_list("nationality", flat=True).distinct()
        for text in list(texts):
            code = nationality_code(text)
            model.objects.filter(nationality=text).update(
                nationality=code, nationality_original="" if code else text[:100]
            )


def _backward(apps, schema_editor):
    countries = cases.persons.nationality.NationalityCountries()
    for model_name in ("Person", "Referral"):
        model = apps.get_model("cases", model_name)
        model.objects.exclude(nationality_original="").update(nationality=models.F("nationality_original"))
        with translation.override("fr"):
            for code in list(
                model.objects.filter(nationality_original="")
                .exclude(nationality="")
                .values_list("nationality", flat=True)
                .distinct()
            ):
                model.objects.filter(nationality=code, nationality_original="").update(
                    nationality=countries.name(code) or code
                )


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0009_households"),
    ]

    operations = [
        migrations.AddField(
            model_name="person",
            name="nationality_original",
            field=models.CharField(
                blank=True, editable=False, max_length=100, verbose_name="nationality as first written"
            ),
        ),
        migrations.AddField(
            model_name="referral",
            name="nationality_original",
            field=models.CharField(
                blank=True, editable=False, max_length=100, verbose_name="nationality as first written"
            ),
        ),
        migrations.RunPython(_forward, _backward, elidable=False),
        migrations.AlterField(
            model_name="person",
            name="nationality",
            field=django_countries.fields.CountryField(
                blank=True,
                countries=cases.persons.nationality.NationalityCountries,
                max_length=2,
                verbose_name="nationality",
            ),
        ),
        migrations.AlterField(
            model_name="referral",
            name="nationality",
            field=django_countries.fields.CountryField(
                blank=True,
                countries=cases.persons.nationality.NationalityCountries,
                max_length=2,
                verbose_name="nationality",
            ),
        ),
    ]

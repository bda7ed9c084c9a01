"""Institutions from raw affiliation strings: split, strip departments and addresses, expand, alias, find countries."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from enum import StrEnum
from functools import cache, lru_cache


class InstitutionKind(StrEnum):
    """What sort of organisation an institution is, when its name says so."""

    UNIVERSITY = "university"
    HOSPITAL = "hospital"
    COMPANY = "company"
    GOVERNMENT = "government"
    INSTITUTE = "institute"
    NONPROFIT = "nonprofit"


@dataclass(frozen=True)
class Institution:
    """A normalised institution; `key` (the folded name) is stable and joins spellings differing in case or accents."""

    key: str
    name: str
    country: str | None
    kind: InstitutionKind | None


# ─── Countries: ISO 3166 alpha-2 code and colon, then the names and variants affiliations use ───
_COUNTRIES = """
AD:Andorra|AE:United Arab Emirates|UAE|AF:Afghanistan|AL:Albania|AM:Armenia|AO:Angola|AR:Argentina|AT:Austria|Österreich
AU:Australia|AZ:Azerbaijan|BA:Bosnia and Herzegovina|Bosnia|BD:Bangladesh|BE:Belgium|Belgique|België|BF:Burkina Faso
BG:Bulgaria|BH:Bahrain|BJ:Benin|BN:Brunei|BO:Bolivia|BR:Brazil|Brasil|BW:Botswana|BY:Belarus|CA:Canada|CD:DR Congo
Democratic Republic of the Congo|CG:Congo|CH:Switzerland|Schweiz|Suisse|Svizzera|CI:Côte d'Ivoire|Ivory Coast|CL:Chile
CM:Cameroon|CN:China|PR China|P.R. China|P. R. China|People's Republic of China|PRC|P.R.C.|CO:Colombia|CR:Costa Rica
CU:Cuba|CY:Cyprus|CZ:Czech Republic|Czechia|DE:Germany|Deutschland|Federal Republic of Germany|DK:Denmark|Danmark
DO:Dominican Republic|DZ:Algeria|EC:Ecuador|EE:Estonia|EG:Egypt|ES:Spain|España|ET:Ethiopia|FI:Finland|Suomi|FJ:Fiji
FR:France|GA:Gabon|GB:United Kingdom|UK|U.K.|England|Scotland|Wales|Northern Ireland|Great Britain|GE:Georgia|GH:Ghana
GR:Greece|Hellas|GT:Guatemala|HK:Hong Kong|Hong Kong SAR|HN:Honduras|HR:Croatia|HU:Hungary|ID:Indonesia|IE:Ireland
IL:Israel|IN:India|IQ:Iraq|IR:Iran|Islamic Republic of Iran|IS:Iceland|IT:Italy|Italia|JM:Jamaica|JO:Jordan|JP:Japan
KE:Kenya|KG:Kyrgyzstan|KH:Cambodia|KR:South Korea|Korea|Republic of Korea|Korea (South)|Rep. of Korea|KW:Kuwait
KZ:Kazakhstan|LA:Laos|LB:Lebanon|LK:Sri Lanka|LT:Lithuania|LU:Luxembourg|LV:Latvia|LY:Libya|MA:Morocco|MC:Monaco
MD:Moldova|ME:Montenegro|MG:Madagascar|MK:North Macedonia|Macedonia|ML:Mali|MM:Myanmar|MN:Mongolia|MO:Macau|Macao
MT:Malta|MU:Mauritius|MW:Malawi|MX:Mexico|México|MY:Malaysia|MZ:Mozambique|NA:Namibia|NE:Niger|NG:Nigeria|NI:Nicaragua
NL:Netherlands|The Netherlands|Nederland|Holland|NO:Norway|Norge|NP:Nepal|NZ:New Zealand|OM:Oman|PA:Panama|PE:Peru
PG:Papua New Guinea|PH:Philippines|PK:Pakistan|PL:Poland|Polska|PR:Puerto Rico|PS:Palestine|PT:Portugal|PY:Paraguay
QA:Qatar|RO:Romania|RS:Serbia|RU:Russia|Russian Federation|RW:Rwanda|SA:Saudi Arabia|SD:Sudan|SE:Sweden|Sverige
SG:Singapore|SI:Slovenia|SK:Slovakia|Slovak Republic|SN:Senegal|SV:El Salvador|SY:Syria|TH:Thailand|TN:Tunisia
TR:Turkey|Türkiye|TT:Trinidad and Tobago|TW:Taiwan|Republic of China|TZ:Tanzania|UA:Ukraine|UG:Uganda
US:USA|U.S.A.|US|U.S.|United States|United States of America|America|UY:Uruguay|UZ:Uzbekistan|VE:Venezuela|VN:Vietnam
Viet Nam|YE:Yemen|ZA:South Africa|ZM:Zambia|ZW:Zimbabwe|AM:Armenia|CV:Cape Verde|GL:Greenland|BT:Bhutan|SC:Seychelles
"""
_US_STATES = """
Alabama AL|Alaska AK|Arizona AZ|Arkansas AR|California CA|Colorado CO|Connecticut CT|Delaware DE|Florida FL|Georgia GA
Hawaii HI|Idaho ID|Illinois IL|Indiana IN|Iowa IA|Kansas KS|Kentucky KY|Louisiana LA|Maine ME|Maryland MD
Massachusetts MA|Michigan MI|Minnesota MN|Mississippi MS|Missouri MO|Montana MT|Nebraska NE|Nevada NV|New Hampshire NH
New Jersey NJ|New Mexico NM|New York NY|North Carolina NC|North Dakota ND|Ohio OH|Oklahoma OK|Oregon OR|Pennsylvania PA
Rhode Island RI|South Carolina SC|South Dakota SD|Tennessee TN|Texas TX|Utah UT|Vermont VT|Virginia VA|Washington WA
West Virginia WV|Wisconsin WI|Wyoming WY|District of Columbia DC|Washington DC DC|Washington D.C. DC|D.C. DC
"""
_CA_PROVINCES = "Ontario ON|Quebec QC|British Columbia BC|Alberta AB|Manitoba MB|Saskatchewan SK|Nova Scotia NS"
# Cities that name their country on their own (ambiguous ones such as Cambridge or London are left out).
_CITIES = """
CN:Beijing|Shanghai|Guangzhou|Shenzhen|Hangzhou|Nanjing|Wuhan|Chengdu|Xi'an|Tianjin|Harbin|Hefei|Changsha|Jinan|Dalian
JP:Tokyo|Kyoto|Osaka|Sendai|Nagoya|Tsukuba|Fukuoka|Sapporo|Kobe|Yokohama|Hiroshima|Saitama|Chiba
KR:Seoul|Daejeon|Busan|Pohang|Incheon|TW:Taipei|Hsinchu|Tainan|DE:Berlin|Munich|München|Hamburg|Heidelberg|Frankfurt
Bonn|Mainz|Aachen|Freiburg|Göttingen|Dresden|Leipzig|Karlsruhe|Stuttgart|Tübingen|Zeuthen|FR:Paris|Lyon|Marseille
Grenoble|Toulouse|Orsay|Gif-sur-Yvette|Palaiseau|Strasbourg|IT:Rome|Roma|Milan|Milano|Bologna|Pisa|Padova|Padua|Turin
Torino|Naples|Napoli|Florence|Firenze|Bari|Pavia|Trieste|Genova|Frascati|ES:Madrid|Barcelona|Valencia|Seville
CH:Geneva|Genève|Zurich|Zürich|Lausanne|Bern|Basel|Villigen|NL:Amsterdam|Rotterdam|Utrecht|Leiden|Delft|Nijmegen
Groningen|Wageningen|Eindhoven|SE:Stockholm|Uppsala|Lund|Gothenburg|Göteborg|DK:Copenhagen|Aarhus|NO:Oslo|Bergen
FI:Helsinki|Espoo|AT:Vienna|Wien|Innsbruck|Graz|BE:Brussels|Leuven|Ghent|PL:Warsaw|Kraków|Krakow|CZ:Prague|Brno
RU:Moscow|Saint Petersburg|St. Petersburg|Novosibirsk|Dubna|Protvino|IN:Mumbai|New Delhi|Bangalore|Bengaluru|Kolkata
Chennai|Hyderabad|AU:Sydney|Melbourne|Brisbane|Canberra|Adelaide|Perth|IL:Tel Aviv|Jerusalem|Haifa|Rehovot|GR:Athens
Thessaloniki|PT:Lisbon|Lisboa|Porto|Coimbra|BR:São Paulo|Rio de Janeiro|RO:Bucharest|Magurele|HU:Budapest|TR:Istanbul
Ankara|US:Boston|Chicago|Pasadena|Berkeley|Stanford|Princeton|Ann Arbor|Baltimore|Seattle|Pittsburgh|Houston
Philadelphia|Los Angeles|San Diego|San Francisco|Batavia|Upton|Madison|Urbana|Los Alamos|CA:Toronto|Montreal
Montréal|Vancouver|Ottawa|GB:Oxford|Edinburgh|Manchester|Glasgow|Bristol|Birmingham|Liverpool|Sheffield|Didcot
"""
_US_ZIP = re.compile(r"^(?:[A-Z]{2}\s+)?\d{5}(?:-\d{4})?$")
_STATE_ZIP = re.compile(r"^([A-Z]{2})\.?(?:\s+\d{5}(?:-\d{4})?)?$")
_UK_POSTCODE = re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[A-Z]{2}\b")
_CA_POSTCODE = re.compile(r"\b[A-Z]\d[A-Z]\s?\d[A-Z]\d\b")


def _items(text: str) -> list[str]:
    return [item.strip() for item in re.split(r"[|\n]", text) if item.strip()]


def _table(text: str, pattern: str) -> dict[str, str]:
    """Parse "CODE:Name|Variant|CODE:Name" into folded name → code (a code starts a new country)."""
    table: dict[str, str] = {}
    code = ""
    for item in _items(text):
        match = re.match(pattern, item)
        if match:
            code = match.group(1)
        table[_fold(match.group(2) if match else item)] = code
    return table


@cache
def _places() -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Countries, US states and Canadian provinces (name and code → country), and cities, each by folded name."""
    countries = _table(_COUNTRIES, r"^([A-Z]{2}):(.+)$")
    regions: dict[str, str] = {}
    for item in _items(_US_STATES):
        name, code = item.rsplit(" ", 1)
        regions[_fold(name)] = "US"
        regions[code.casefold()] = "US"
    for item in _items(_CA_PROVINCES):
        name, code = item.rsplit(" ", 1)
        regions[_fold(name)] = "CA"
        regions[code.casefold()] = "CA"
    cities = _table(_CITIES, r"^([A-Z]{2}):(.+)$")
    return countries, regions, cities


# ─── Kinds, units and abbreviations ───
_KIND_WORDS: tuple[tuple[InstitutionKind, re.Pattern[str]], ...] = (
    (
        InstitutionKind.HOSPITAL,
        re.compile(
            r"\b(hospitals?|hopital|hôpital|ospedale|hospital\w*|klinikum|clinic|clinics|clinique|clinica|infirmary|"
            r"medical cent(er|re)|health cent(er|re)|cancer cent(er|re)|medical college hospital|"
            r"university medical cent(er|re)|universitair medisch centrum|irccs|charité|charite|policlinico)\b",
            re.IGNORECASE,
        ),
    ),
    (
        InstitutionKind.UNIVERSITY,
        re.compile(
            r"(universit\w*|\bhochschule\b|\bcollege\b|\bpolytechnic\b|politecnico|polytechnique|\bécole\b|\becole\b|"
            r"\bescuela\b|\bschool of medicine\b|\bmedical school\b|\bmedical university\b|\binstitute of technology\b|"
            r"\btechnische\b|\buniwersytet\b|\buniverzit\w*|\bakademia\b|\bfachhochschule\b)",
            re.IGNORECASE,
        ),
    ),
    (
        InstitutionKind.COMPANY,
        re.compile(
            r"\b(inc|ltd|llc|l\.l\.c|gmbh|corp|corporation|company|co\. ltd|plc|s\.a|s\.p\.a|s\.r\.l|ag|a/s|ab|"
            r"pharma\w*|limited|pvt|consulting|technologies|laboratories inc)\b\.?",
            re.IGNORECASE,
        ),
    ),
    (
        InstitutionKind.GOVERNMENT,
        re.compile(
            r"\b(ministry|ministerio|ministère|ministero|agency|bureau|administration|national laborator\w+|"
            r"department of energy|department of agriculture|department of health|government|federal|"
            r"commission|geological survey|secretariat|world bank|council)\b",
            re.IGNORECASE,
        ),
    ),
    (
        InstitutionKind.INSTITUTE,
        re.compile(
            r"(\binstitut\w*|\bistituto\b|\binstituto\b|\bacademy\b|\bakademie\b|\bacademia\b|\blaborator\w+|"
            r"\bobservator\w+|\bresearch cent(er|re)\b|\bcent(er|re) for\b|\bcentro\b|\bcentre\b|\bcenter\b|"
            r"\bmuseum\b|\bsezione\b|\bforschungszentrum\b|\bsynchrotron\b|\bnational research\b)",
            re.IGNORECASE,
        ),
    ),
    (
        InstitutionKind.NONPROFIT,
        re.compile(r"\b(foundation|fundación|fundacao|fundação|stiftung|society|association|trust|ngo|union)\b", re.I),
    ),
)
# A department, faculty, lab or group inside an institution: stripped when the affiliation names the institution.
_UNIT = re.compile(
    r"^(the\s+)?(dept\b|department|departamento|dipartimento|département|departement|abteilung|division|section|"
    r"unit\b|faculty|facultad|faculté|fakultät|school of|graduate school|program|programme|group|chair|service|"
    r"servicio|lab\b|laboratory of|laboratory for|laboratoire|laboratorio|key laboratory|state key laboratory|"
    r"institut für|institute of|institute for|center for|centre for|centre of|center of|research (and|&) development|"
    r"r&d|clinic of|klinik für|college of|physikalisches institut|physics department|correspondence|"
    r"[a-z .&]+ (department|dept|division|unit|section|group|program|laboratory)$)",
    re.IGNORECASE,
)
_ABBREVIATIONS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), replacement)
    for pattern, replacement in (
        (r"\bUniv\b\.?", "University"),
        (r"\bUniversit\.", "University"),
        (r"\bInst\b\.?", "Institute"),
        (r"\bNatl\b\.?", "National"),
        (r"\bNat\.", "National"),
        (r"\bDept\b\.?", "Department"),
        (r"\bLab\.", "Laboratory"),
        (r"\bLabs?\b(?=\s*$)", "Laboratory"),
        (r"\bCtr\b\.?", "Center"),
        (r"\bCent\.", "Central"),
        (r"\bHosp\b\.?", "Hospital"),
        (r"\bColl\b\.?", "College"),
        (r"\bAcad\b\.?", "Academy"),
        (r"\bSci\b\.", "Science"),
        (r"\bTechnol\b\.?", "Technology"),
        (r"\bRes\b\.", "Research"),
        (r"\bMed\b\.", "Medical"),
        (r"\bIntl?\b\.", "International"),
        (r"\bSch\b\.?", "School"),
        (r"\bFac\b\.", "Faculty"),
        (r"\bDiv\b\.", "Division"),
        (r"\bCorp\b\.", "Corporation"),
        (r"\bAssoc\b\.", "Association"),
        (r"\bFdn\b\.?", "Foundation"),
        (r"\bCalif\b\.", "California"),
        (r"\bMass\b\.", "Massachusetts"),
    )
)

# ─── Curated aliases: canonical name, kind, country, then spellings (an upper-case spelling matches as a word);
# a name may take several lines to keep them short ───
_ALIASES = """
Massachusetts Institute of Technology|university|US|MIT|Massachusetts Inst. of Technology
Carnegie Mellon University|university|US|CMU|Carnegie-Mellon University
University of California, Los Angeles|university|US|UCLA|University of California Los Angeles|UC Los Angeles
University of California, Berkeley|university|US|UC Berkeley|UCB|University of California Berkeley|Berkeley University
University of California, San Diego|university|US|UCSD|UC San Diego|University of California San Diego
University of California, San Francisco|university|US|UCSF|UC San Francisco|University of California San Francisco
University of California, Santa Barbara|university|US|UCSB|UC Santa Barbara|University of California Santa Barbara
University of California, Davis|university|US|UC Davis|University of California Davis
University of California, Irvine|university|US|UCI|UC Irvine|University of California Irvine
University of California, Santa Cruz|university|US|UCSC|UC Santa Cruz|University of California Santa Cruz
University of California, Riverside|university|US|UCR|UC Riverside|University of California Riverside
University of Illinois Urbana-Champaign|university|US|UIUC|University of Illinois at Urbana-Champaign
University of Texas at Austin|university|US|UT Austin|University of Texas Austin
California Institute of Technology|university|US|Caltech|CALTECH
Georgia Institute of Technology|university|US|Georgia Tech
ETH Zurich|university|CH|ETH|ETHZ|ETH Zürich|ETH Zuerich|Swiss Federal Institute of Technology Zurich
ETH Zurich|university|CH|Eidgenössische Technische Hochschule Zürich|ETH Zentrum
École Polytechnique Fédérale de Lausanne|university|CH|EPFL|Swiss Federal Institute of Technology Lausanne
Chinese Academy of Sciences|institute|CN|CAS|Chinese Acad. of Sciences|Chinese Academy of Science
Chinese Academy of Medical Sciences|institute|CN|CAMS
University of Science and Technology of China|university|CN|USTC
Hong Kong University of Science and Technology|university|HK|HKUST
Shanghai Jiao Tong University|university|CN|SJTU
Peking University|university|CN|PKU|Beijing University
Tsinghua University|university|CN|THU|Tsinghua Univ
Zhejiang University|university|CN|ZJU
Microsoft Research Asia|company|CN|MSRA|Microsoft Research Asia
Microsoft Research|company|US|MSR
Korea Advanced Institute of Science and Technology|university|KR|KAIST
KTH Royal Institute of Technology|university|SE|KTH|Royal Institute of Technology
University College London|university|GB|UCL
National University of Singapore|university|SG|NUS
University of British Columbia|university|CA|UBC
Technical University of Munich|university|DE|TUM|Technische Universität München|TU München|TU Munich
Ludwig Maximilian University of Munich|university|DE|LMU|LMU Munich|Ludwig-Maximilians-Universität München
RWTH Aachen University|university|DE|RWTH|RWTH Aachen
Imperial College London|university|GB|Imperial College
French National Centre for Scientific Research|government|FR|CNRS|Centre National de la Recherche Scientifique
National Institute for Nuclear Physics (INFN)|government|IT|INFN|Istituto Nazionale di Fisica Nucleare
CERN|institute|CH|CERN|European Organization for Nuclear Research|European Organisation for Nuclear Research
CERN|institute|CH|Organisation Européenne pour la Recherche Nucléaire
Deutsches Elektronen-Synchrotron DESY|institute|DE|DESY|Deutsches Elektronen-Synchrotron
Joint Institute for Nuclear Research|institute|RU|JINR
High Energy Accelerator Research Organization (KEK)|institute|JP|KEK
Institute of High Energy Physics, Chinese Academy of Sciences|institute|CN|IHEP Beijing
SLAC National Accelerator Laboratory|government|US|SLAC|Stanford Linear Accelerator Center
Lawrence Berkeley National Laboratory|government|US|LBNL|Berkeley Lab|Lawrence Berkeley Laboratory
Los Alamos National Laboratory|government|US|LANL
Oak Ridge National Laboratory|government|US|ORNL
Fermi National Accelerator Laboratory|government|US|Fermilab|FNAL
Brookhaven National Laboratory|government|US|BNL
National Institute of Standards and Technology|government|US|NIST
National Institutes of Health|government|US|NIH
National Aeronautics and Space Administration|government|US|NASA
Jet Propulsion Laboratory|government|US|JPL
RIKEN|institute|JP|RIKEN
Commonwealth Scientific and Industrial Research Organisation|government|AU|CSIRO
French Institute of Health and Medical Research (Inserm)|government|FR|INSERM|Inserm
French Alternative Energies and Atomic Energy Commission (CEA)|government|FR|CEA|CEA Saclay|CEA-Saclay
French Institute for Research in Computer Science and Automation (Inria)|institute|FR|INRIA|Inria
Spanish National Research Council (CSIC)|government|ES|CSIC
Max Planck Society|institute|DE|Max-Planck-Gesellschaft
Indian Institute of Science|university|IN|IISc
Erasmus University Medical Center|hospital|NL|Erasmus MC|Erasmus Medical Center
Erasmus University Medical Center|hospital|NL|Erasmus University Medical Center Rotterdam
Mayo Clinic|hospital|US|Mayo Clinic
Google|company|US|Google|Google Research|Google Brain|Google Inc
Google DeepMind|company|GB|DeepMind|Google DeepMind
Meta AI|company|US|Facebook AI Research|FAIR|Meta AI Research|Facebook AI
IBM Research|company|US|IBM|IBM Research|IBM T.J. Watson Research Center|IBM Thomas J. Watson Research Center
World Bank|government|US|World Bank|The World Bank|World Bank Policy Research
International Union for Conservation of Nature|nonprofit|CH|IUCN|IUCN – The World Conservation Union
Organisation for Economic Co-operation and Development|government|FR|OECD|OECD Environment Directorate
"""


@dataclass(frozen=True)
class _Alias:
    name: str
    kind: InstitutionKind
    country: str


@cache
def _aliases() -> tuple[dict[str, _Alias], dict[str, _Alias]]:
    """Curated institutions by folded spelling, and by upper-case acronym."""
    by_name: dict[str, _Alias] = {}
    by_acronym: dict[str, _Alias] = {}
    for line in _ALIASES.strip().splitlines():
        name, kind, country, *spellings = line.split("|")
        alias = _Alias(name, InstitutionKind(kind), country)
        by_name[_fold(name)] = alias
        for spelling in spellings:
            by_name[_fold(spelling)] = alias
            if spelling.isupper() and " " not in spelling:
                by_acronym[spelling] = alias
    return by_name, by_acronym


# ─── Cleaning ───
_EMAIL = re.compile(r"(?:electronic address|e-?mail(?: address)?|email)?\s*:?\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+\.?", re.I)
_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_NOISE = re.compile(r"#TAB#|\bcorrespondence\b:?|\bcurrent address\b:?|\bpresent address\b:?", re.IGNORECASE)
_PO_BOX = re.compile(r"\b(p\.?\s?o\.?\s?box|box|apdo\.?|apartado|postfach|cp|cedex|bp)\s*\.?\s*[\w-]*\d[\w-]*", re.I)
_STREET = re.compile(
    r"^\d+[\w-]*\s+\w+|\b(street|st\.|road|rd\.|avenue|ave\.|avenida|boulevard|blvd|strasse|straße|str\.|"
    r"via|rue|calle|carrera|room|building|floor|suite|mall|drive|lane|place|platz|weg|campus|gasse)\b",
    re.IGNORECASE,
)
_DIGITS = re.compile(r"\d")
_SPACES = re.compile(r"\s+")
_PARTS = re.compile(r";|\s\|\s")
_SEGMENTS = re.compile(r",(?![^()]*\))")
_AND = re.compile(r"\s+(?:and|&|und|et|e|y)\s+", re.IGNORECASE)
_NON_WORD = re.compile(r"[^0-9a-z]+")
_LEADING = re.compile(r"^(?:the|and|also|from|at|of)\s+|^[\W_]+", re.IGNORECASE)
_TRAILING = re.compile(r"[\s.,;:\-–—(]+$|\s+(?:and|the)$", re.IGNORECASE)


def _fold(text: str) -> str:
    """Casefold, strip accents and punctuation, drop a leading "the": the comparison and key form of a name."""
    folded = unicodedata.normalize("NFKD", text.casefold())
    folded = "".join(char for char in folded if not unicodedata.combining(char)).replace("ß", "ss")
    folded = _NON_WORD.sub(" ", folded).strip()
    return folded[4:] if folded.startswith("the ") else folded


def _clean(segment: str) -> str:
    text = _SPACES.sub(" ", segment).strip()
    for _ in range(2):
        text = _LEADING.sub("", text).strip()
        text = _TRAILING.sub("", text).strip()
    return text


def _expand(text: str) -> str:
    for pattern, replacement in _ABBREVIATIONS:
        if pattern.search(text):
            text = pattern.sub(replacement, text)
    return text


def _kind(name: str) -> InstitutionKind | None:
    for kind, pattern in _KIND_WORDS:
        if pattern.search(name):
            return kind
    return None


# ─── Places ───
def _country_of(segment: str) -> str | None:
    """The country a segment names: a country, a US state or Canadian province (maybe with a postcode), a city."""
    countries, regions, cities = _places()
    folded = _fold(segment)
    if folded in countries:
        return countries[folded]
    stripped = _fold(_DIGITS.sub(" ", segment))
    if stripped in countries:
        return countries[stripped]
    state = _STATE_ZIP.match(segment.strip())
    if state and state.group(1).casefold() in regions:
        return regions[state.group(1).casefold()]
    if stripped in regions and (stripped != folded or len(stripped) > 2 or segment.strip().isupper()):
        return regions[stripped]
    if _CA_POSTCODE.search(segment):
        return "CA"
    if _UK_POSTCODE.search(segment) and not _DIGITS.match(segment.strip()):
        return "GB"
    if stripped in cities:
        return cities[stripped]
    words = stripped.split()
    if len(words) > 1 and _kind(segment) is None:
        # "OK United States of America", "Cedex France": the country closes the segment.
        return next((countries[tail] for i in range(1, len(words)) if (tail := " ".join(words[i:])) in countries), None)
    return None


def _is_place(segment: str) -> bool:
    """Whether the segment is only an address: a place name, postcode, street, box or bare number."""
    if _kind(segment) is not None and not _STREET.search(segment):
        return False
    if _country_of(segment) is not None or _PO_BOX.search(segment) or _US_ZIP.match(segment.strip()):
        return True
    if _DIGITS.search(segment) and (_STREET.search(segment) or len(_fold(segment).split()) <= 3):
        return True
    return bool(_STREET.search(segment)) and _kind(segment) is None


# ─── Institutions ───
@dataclass(frozen=True)
class _Candidate:
    name: str
    kind: InstitutionKind | None
    country: str | None
    curated: bool


def _candidate(segment: str) -> _Candidate | None:
    """The institution a segment names (curated alias first), or None for a department, unit or address."""
    by_name, by_acronym = _aliases()
    alias = by_name.get(_fold(segment))
    if alias is None and len(segment.split()) <= 4:
        alias = next((by_acronym[word] for word in re.findall(r"[A-Za-z]+", segment) if word in by_acronym), None)
    if alias is not None:
        return _Candidate(alias.name, alias.kind, alias.country, curated=True)
    name = _expand(segment)
    if _UNIT.match(name) or _is_place(name):
        return None
    return _Candidate(name, _kind(name), None, curated=False)


def _split_and(segment: str) -> list[str]:
    """ "Jožef Stefan Institute and University of Ljubljana" is two institutions; "Hamburg and Zeuthen" is not."""
    pieces = [piece.strip() for piece in _AND.split(segment) if piece.strip()]
    if len(pieces) > 1 and all(_kind(_expand(piece)) or _candidate_is_alias(piece) for piece in pieces):
        return pieces
    return [segment]


def _candidate_is_alias(piece: str) -> bool:
    by_name, by_acronym = _aliases()
    return _fold(piece) in by_name or any(word in by_acronym for word in re.findall(r"[A-Za-z]+", piece))


_SYSTEMS = re.compile(
    r"^(university of (california|texas|wisconsin|illinois|michigan|massachusetts|maryland|north carolina|colorado|"
    r"missouri|nebraska|minnesota|hawaii|alabama|tennessee)|universite paris|université paris|university paris)$",
    re.IGNORECASE,
)


def _segments(part: str) -> list[str]:
    """Comma-separated pieces; a multi-campus system keeps its campus ("University of California, Berkeley")."""
    pieces = [_clean(piece) for piece in _SEGMENTS.split(part)]
    pieces = [piece for piece in pieces if piece]
    joined: list[str] = []
    index = 0
    while index < len(pieces):
        piece = _expand(pieces[index])
        following = pieces[index + 1] if index + 1 < len(pieces) else None
        if (
            following is not None
            and _SYSTEMS.match(piece)
            and _kind(following) is None
            and not _DIGITS.search(following)
        ):
            joined.append(f"{piece}, {following}")
            index += 2
            continue
        joined.append(pieces[index])
        index += 1
    return joined


def _part_institutions(part: str) -> list[Institution]:
    segments = _segments(part)
    country = next((found for found in map(_country_of, reversed(segments)) if found), None)
    candidates = [
        found for segment in segments for piece in _split_and(segment) if (found := _candidate(_clean(piece)))
    ]
    named = [candidate for candidate in candidates if candidate.kind is not None or candidate.curated]
    candidates = named or candidates[:1] or _fallback(segments)
    result: dict[str, Institution] = {}
    for candidate in candidates:
        key = _fold(candidate.name)
        if key and key not in result:
            result[key] = Institution(key, candidate.name, candidate.country or country, candidate.kind)
    return list(result.values())


def _fallback(segments: list[str]) -> list[_Candidate]:
    """No named institution: a unit that is an organisation itself ("Institute of Physics"), else the first name."""
    for segment in segments:
        name = _expand(segment)
        kind = _kind(name)
        if kind is not None and not _is_place(name) and not re.match(r"(?i)^(the\s+)?(dep|div|sec|fac|sch)", name):
            return [_Candidate(name, kind, None, curated=False)]
    # An unknown organisation ("Forest Trends, Washington, DC, USA"): its name is what comes before the address.
    first = next((s for s in segments if not _UNIT.match(s) and not _is_place(s) and len(s) > 2), None)
    return [] if first is None else [_Candidate(_expand(first), None, None, curated=False)]


def institutions(affiliation: str) -> list[Institution]:
    """The institutions named in a raw affiliation string, in the order written, without duplicates."""
    return list(_institutions(affiliation))


@lru_cache(maxsize=65_536)
def _institutions(affiliation: str) -> tuple[Institution, ...]:
    # Cached: a collaboration paper repeats the same few hundred affiliation strings on every one of its works.
    text = _NOISE.sub(" ", _URL.sub(" ", _EMAIL.sub(" ", affiliation)))
    result: dict[str, Institution] = {}
    for part in _PARTS.split(text):
        for institution in _part_institutions(part):
            result.setdefault(institution.key, institution)
    return tuple(result.values())

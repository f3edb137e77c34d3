"""A rules-based guess of a requirement's kind: functional or a quality.

Each non-functional category has a lexicon of stems and phrases that name
the quality (ISO/IEC 25010 characteristics and the PROMISE NFR categories).
A requirement takes the category whose lexicon it hits hardest; one that
hits none is functional. The lexicons were tuned on PROMISE projects 1-7
only; `bench/requirements_quality.py` reports them on projects 8-15.
"""

from __future__ import annotations

import re

FUNCTIONAL = "functional"

# Two lists per category: terms that settle the category on their own
# (2 points each) and terms that only lean towards it (1 point each). A
# requirement needs 2 points to leave `functional`.
_LEXICONS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "performance": (
        (
            r"response times?",
            r"respond(?:s|ed)? (?:with)?in",
            r"within \d[\d.,]* ?(?:milli)?(?:seconds?|secs?|ms|minutes?|hours?)",
            r"no (?:longer|later|more) than \d[\d.,]* ?(?:milli)?(?:seconds?|minutes?)",
            r"per second",
            r"throughput",
            r"latency",
            r"latencies",
            r"\d+\s*(?:seconds?|secs?|minutes?|min|ms)",
            r"every (?:hour|minute|second)",
            r"performance",
            r"in (?:an? )?(?:acceptable|timely|reasonable) (?:time|manner)",
        ),
        (
            r"respond\w* (?:fast|quickly)",
            r"fast",
            r"faster",
            r"quick(?:ly)?",
            r"milliseconds?",
            r"refresh\w*",
            r"in under",
            r"wait time",
            r"load time",
            r"delay",
            r"speed",
            r"timely",
            r"real[- ]time",
            r"efficien\w*",
        ),
    ),
    "scalability": (
        (
            r"peak (?:load|times?|periods?)",
            r"additional users",
            r"increas\w* (?:number|volume|load)",
            r"concurrent(?:ly)? users?",
            r"simultaneous(?:ly)? users?",
            r"scal(?:e|es|able|ability)",
            r"concurrent requests",
            r"transactions per (?:hour|day|second|minute)",
            r"number of users",
            r"multiple (?:remote )?users",
            r"users? (?:to work )?at the same time",
        ),
        (
            r"load",
            r"increas\w*",
            r"simultaneous\w*",
            r"concurrent\w*",
            r"large (?:number|volume)s?",
            r"(?:handle|support|accommodate|cater to|process) (?:up to )?\d[\d ,.]* ",
            r"grow(?:th)?",
            r"increase to",
            r"records per",
            r"volume",
            r"capacity",
            r"expand\w*",
        ),
    ),
    "security": (
        (
            r"secur\w*",
            r"authori[sz]\w*",
            r"authenticat\w*",
            r"passwords?",
            r"encrypt\w*",
            r"decrypt\w*",
            r"privacy",
            r"private information",
            r"malicious",
            r"virus",
            r"intrusion",
            r"firewall",
            r"access control",
            r"unauthori[sz]ed",
            r"log ?in",
            r"login",
            r"credentials",
            r"permissions?",
            r"privileges?",
            r"single sign[- ]on",
            r"sso",
            r"two[- ]factor",
            r"multi[- ]factor",
            r"mfa",
            r"vulnerabilit\w*",
            r"breach\w*",
            r"attack\w*",
            r"owasp",
            r"injection",
            r"cross[- ]site",
            r"xss",
            r"csrf",
            r"hash(?:ed|ing)?",
            r"pii",
            r"session time ?outs?",
            r"key management",
            r"penetration test\w*",
            r"least privilege",
            r"audit logs?",
            r"audit trails?",
            r"denial of service",
            r"ddos",
            r"only (?:the )?\w+(?: \w+)? (?:shall|can|may|will|must|are able to)",
        ),
        (
            r"only \w+(?: \w+)? (?:shall|will|must|can|may) (?:have )?access",
            r"access to",
            r"tamper",
            r"confidential\w*",
            r"integrity",
            r"protect\w*",
            r"roles?",
            r"sensitive",
            r"access level",
            r"viruses",
            r"threats?",
            r"access",
            r"valid data",
            r"invalid data",
            r"personal information",
            r"account",
            r"lock(?:ed)? out",
            r"ssl",
            r"https",
            r"certificate",
        ),
    ),
    "usability": (
        (
            r"ease of",
            r"accessib\w*",
            r"help (?:screens?|text|files?|documentation|pages?)",
            r"tool ?tips?",
            r"online help",
            r"users? (?:shall|will|must|should|can) (?:be able to )?(?:easily|quickly)",
            r"easy to (?:use|learn|understand|navigate)",
            r"ease of use",
            r"user[- ]friendly",
            r"intuitive",
            r"usab\w*",
            r"self[- ]explanatory",
            r"training",
            r"untrained",
            r"learn(?:ed|able)?",
            r"understandable",
            r"readable",
            r"accessib(?:le|ility) (?:to|for) (?:users|people)",
            r"disabilit\w*",
            r"section 508",
            r"wcag",
        ),
        (
            r"screens?",
            r"consisten\w*",
            r"efficiently",
            r"guid\w*",
            r"easy",
            r"easily",
            r"simple",
            r"mistakes",
            r"errors? messages?",
            r"help",
            r"instructions",
            r"novice",
            r"navigat\w*",
            r"understand",
            r"languages?",
            r"read",
            r"clear",
            r"convenient",
            r"satisf\w*",
            r"productiv\w*",
            r"feedback",
            r"locale",
            r"terminology",
            r"familiar",
            r"surveyed",
            r"\d+ ?% of (?:the )?users",
        ),
    ),
    "look and feel": (
        (
            r"attractive",
            r"appealing",
            r"style ?sheets?|css",
            r"graphical design",
            r"visually",
            r"look and feel",
            r"appearance",
            r"colou?r scheme",
            r"colou?rs?",
            r"fonts?",
            r"branding",
            r"logo",
            r"professional (?:look|appearance)",
            r"aesthetic\w*",
            r"style ?guide",
        ),
        (
            r"look",
            r"style",
            r"gui",
            r"graphics?",
            r"consistent",
            r"professional",
            r"appear\w*",
            r"interface standards",
            r"screens?",
            r"buttons?",
            r"menus?",
            r"layout",
            r"icons?",
            r"display(?:ed)? (?:in|with)",
            r"visual\w*",
            r"theme",
        ),
    ),
    "availability": (
        (
            r"availab(?:le|ility) (?:\d|for use|during|24|between|to users)",
            r"uptime",
            r"up time",
            r"24 ?(?:hours?|x|/) ?7",
            r"24x7",
            r"365 days",
            r"downtime",
            r"down time",
            r"outages?",
        ),
        (
            r"available",
            r"hours? (?:a|per) day",
            r"days? (?:a|per) (?:week|year)",
            r"business hours",
            r"maintenance windows?",
            r"out of \d+",
        ),
    ),
    "reliability": (
        (
            r"reliab\w*",
            r"mean time (?:between|to) failures?",
            r"mtbf",
            r"mttr",
            r"failure rate",
            r"defects? per",
        ),
        (
            r"fail(?:s|ures?)?",
            r"accura\w*",
            r"precision",
            r"correct(?:ly|ness)",
            r"consisten\w*",
            r"data loss",
            r"lose data",
        ),
    ),
    "fault tolerance": (
        (
            r"error handling",
            r"without (?:any )?(?:data )?loss",
            r"gracefully",
            r"continue (?:to )?(?:operate|function|work|run)",
            r"fault[- ]toleran\w*",
            r"offline mode",
            r"in the event of (?:a |an )?(?:failure|crash|outage)",
            r"recover\w*",
            r"failover",
            r"fail[- ]?over",
            r"redundan\w*",
            r"backup",
            r"back up",
            r"restor(?:e|ed|es)",
            r"exception log",
        ),
        (
            r"errors?",
            r"failures?",
            r"robust\w*",
            r"interruption",
            r"crash\w*",
            r"interrupt\w*",
            r"connection is (?:lost|unavailable)",
            r"degrad\w*",
            r"resilien\w*",
        ),
    ),
    "maintainability": (
        (
            r"maintenance",
            r"source code",
            r"reusab\w*",
            r"refactor\w*",
            r"documented",
            r"code (?:comments|reviews?)",
            r"changes? (?:can|shall|will|must|should) be made",
            r"maintainab\w*",
            r"maintenance releases?",
            r"modular\w*",
            r"design patterns",
            r"coding (?:standards|best practices)",
            r"well[- ]documented",
            r"configurab\w*",
            r"extensib\w*",
            r"updat(?:e|ed) (?:easily|without)",
            r"upgrad(?:e|ed|es|ability)",
        ),
        (
            r"updat\w*",
            r"new (?:features|releases?|versions?)",
            r"versions?",
            r"patch\w*",
            r"administrat\w*",
            r"maintain\w*",
            r"modifiable",
            r"new functionality",
            r"change(?:d|s)? to the (?:code|system)",
            r"document(?:ed|ation) (?:of|for) (?:the )?code",
            r"testab\w*",
            r"integrate new",
        ),
    ),
    "portability": (
        (
            r"portab\w*",
            r"cross[- ]platform",
            r"operating systems",
            r"(?:run|runs|operate) on (?:windows|linux|unix|mac|android|ios|palm)",
            r"ported",
            r"platform[- ]independen\w*",
        ),
        (
            r"windows",
            r"linux",
            r"unix",
            r"mac ?os",
            r"android",
            r"ios",
            r"palm",
            r"browsers?",
            r"platforms?",
            r"porting",
        ),
    ),
    "legal": (
        (
            r"comply with",
            r"complian\w*",
            r"conform to (?:the )?(?:legal|law)",
            r"legal\w*",
            r"laws?",
            r"regulations?",
            r"regulatory",
            r"statut\w*",
            r"licen[cs]\w*",
            r"sarbanes",
            r"hipaa",
            r"gdpr",
            r"copyright",
            r"standards? (?:of|set by)",
            r"accounting standards",
        ),
        (
            r"audit\w*",
            r"polic(?:y|ies)",
            r"liabil\w*",
            r"contract\w*",
            r"terms of",
            r"rights",
        ),
    ),
    "operational": (
        (
            r"platforms?",
            r"deployed",
            r"operating system",
            r"operating environment",
            r"operate (?:with)?in",
            r"interface with",
            r"office environment",
            r"environment typical",
            r"(?:must|shall|will) (?:be )?(?:run|operate|support) (?:on|in|within)",
            r"internet explorer",
            r"firefox",
            r"chrome",
            r"web browsers?",
            r"hardware",
            r"server",
            r"installed on",
            r"deploy\w*",
            r"corporate (?:architecture|support)",
        ),
        (
            r"operat\w*",
            r"environment",
            r"interfaces? with",
            r"workstations?",
            r"network",
            r"database management",
            r"infrastructure",
            r"install\w*",
            r"configuration",
        ),
    ),
}


# One pattern for all lexicons, scanned once: group `g<n>` holds the terms
# of `_GROUPS[n]`, so a match says which category it scores for, and how much.
_GROUPS = [
    (kind, weight, terms)
    for kind, (strong, weak) in _LEXICONS.items()
    for weight, terms in ((2, strong), (1, weak))
]
_TERMS = re.compile(
    r"\b(?:"
    + "|".join(
        f"(?P<g{n}>{'|'.join(terms)})" for n, (_, _, terms) in enumerate(_GROUPS)
    )
    + r")\b"
)
_MIN_SCORE = 2


def guess_kind(text: str) -> str:
    """`functional`, or the non-functional category the text names the most.

    A tie goes to the category listed first in the lexicons.

    >>> guess_kind("The system shall refresh the display every 60 seconds.")
    'performance'
    """
    scores = dict.fromkeys(_LEXICONS, 0)
    for match in _TERMS.finditer(text.lower()):  # lexicons are lowercase
        kind, weight, _ = _GROUPS[int(str(match.lastgroup)[1:])]
        scores[kind] += weight

    kind, score = max(scores.items(), key=lambda item: item[1])
    return kind if score >= _MIN_SCORE else FUNCTIONAL


KINDS = (FUNCTIONAL, *_LEXICONS)
"""Every kind `guess_kind` can return, functional first."""

"""PLOVER event types of claim contents: the lexicon's shape, its rules on hand-made lemma
sequences, and the coverage expected of it on real parses."""

from __future__ import annotations

import pytest

from claimledger.claims.plover import (MODES, OTHER_LABELS, OTHER_TRIGGERS, PLOVER_TYPES,
                                     TRIGGERS, event_type)


# ---------------------------------------------------------------------------- the lexicon

def test_sixteen_types_in_the_manual_order():
    assert PLOVER_TYPES == ("AGREE", "CONSULT", "SUPPORT", "CONCEDE", "COOPERATE", "AID",
                            "RETREAT", "REQUEST", "ACCUSE", "REJECT", "THREATEN", "PROTEST",
                            "SANCTION", "MOBILIZE", "COERCE", "ASSAULT")


def test_every_trigger_has_a_plover_type_and_a_listed_mode():
    for lemma, (kind, mode) in TRIGGERS.items():
        assert lemma == lemma.lower() and " " not in lemma
        assert kind in PLOVER_TYPES, lemma
        assert mode is None or mode in MODES[kind], (lemma, mode)
    assert set(PLOVER_TYPES) == {kind for kind, _ in TRIGGERS.values()}


def test_other_triggers_are_outside_plover_and_use_the_labels():
    assert set(OTHER_TRIGGERS.values()) <= set(OTHER_LABELS)
    assert not set(OTHER_TRIGGERS) & set(TRIGGERS)
    assert "strike" not in OTHER_TRIGGERS and "strike" not in TRIGGERS
    assert OTHER_TRIGGERS["flood"] == OTHER_TRIGGERS["earthquake"] == "disaster"
    assert OTHER_TRIGGERS["fire"] == OTHER_TRIGGERS["blaze"] == "fire"
    assert OTHER_TRIGGERS["crash"] == "accident"
    assert OTHER_TRIGGERS["election"] == OTHER_TRIGGERS["vote"] == "election"
    assert OTHER_TRIGGERS["inflation"] == "economy"


@pytest.mark.parametrize("lemma", ["say", "have", "take", "make", "go", "sign", "charge",
                                   "decline", "ceasefire"])
def test_ambiguous_lemmas_are_left_out(lemma):
    assert lemma not in TRIGGERS and lemma not in OTHER_TRIGGERS
    assert event_type([(lemma, "VERB")]) is None


# ------------------------------------------------------------------ rules, hand-made input

def seq(text: str) -> list[tuple[str, str]]:
    """'drone/NOUN strike/VERB port/NOUN' -> [("drone", "NOUN"), ...]"""
    return [tuple(w.split("/")) for w in text.split()]  # type: ignore[misc]


def test_empty_and_eventless_claims():
    assert event_type([]) is None
    assert event_type(seq("port/NOUN be/AUX work/VERB ship/NOUN be/AUX move/VERB")) is None


def test_verbs_are_preferred_to_nouns():
    # "protesters were arrested": the verb, though the noun comes first
    assert event_type(seq("protester/NOUN be/AUX arrest/VERB")) == ("COERCE", "arrest", 2)
    # no verb trigger: the first noun
    assert event_type(seq("sanction/NOUN and/CCONJ protest/NOUN")) == ("SANCTION", None, 0)


def test_strike_as_a_verb_is_assault_with_the_weapon_as_mode():
    assert event_type(seq("drone/NOUN strike/VERB port/NOUN")) == ("ASSAULT", "aerial", 1)
    assert event_type(seq("force/NOUN strike/VERB target/NOUN")) == ("ASSAULT", None, 1)
    assert event_type(seq("missile/NOUN strike/VERB city/NOUN")) == \
        ("ASSAULT", "heavy-weapons", 1)


def test_strike_a_deal_and_earthquake_struck():
    assert event_type(seq("firm/NOUN strike/VERB a/DET deal/NOUN")) == ("AGREE", None, 1)
    assert event_type(seq("earthquake/NOUN strike/VERB region/NOUN")) == \
        ("OTHER", "disaster", 0)
    assert event_type(seq("teacher/NOUN strike/VERB for/ADP a/DET week/NOUN")) == \
        ("PROTEST", "strike", 1)
    assert event_type(seq("force/NOUN strike/VERB dock/NOUN worker/NOUN")) == \
        ("ASSAULT", None, 1)


def test_strike_as_a_noun():
    assert event_type(seq("air/NOUN strike/NOUN")) == ("ASSAULT", "aerial", 1)
    assert event_type(seq("drone/NOUN strike/NOUN")) == ("ASSAULT", "aerial", 1)
    assert event_type(seq("go/VERB on/ADP strike/NOUN")) == ("PROTEST", "strike", 2)
    assert event_type(seq("dock/NOUN worker/NOUN strike/NOUN")) == ("PROTEST", "strike", 2)
    assert event_type(seq("hunger/NOUN strike/NOUN")) == ("PROTEST", "hunger", 1)
    assert event_type(seq("general/ADJ strike/NOUN")) == ("PROTEST", "general", 1)
    assert event_type(seq("the/DET strike/NOUN")) is None  # ambiguous: left out


def test_two_word_patterns():
    assert event_type(seq("send/VERB troop/NOUN")) == ("MOBILIZE", "troops", 0)
    assert event_type(seq("deploy/VERB riot/NOUN police/NOUN")) == ("MOBILIZE", "police", 0)
    assert event_type(seq("host/VERB talk/NOUN")) == ("CONSULT", None, 1)
    assert event_type(seq("hold/VERB talk/NOUN")) == ("CONSULT", None, 1)
    assert event_type(seq("impose/VERB sanction/NOUN")) == ("SANCTION", None, 1)
    assert event_type(seq("impose/VERB a/DET curfew/NOUN")) == ("COERCE", "curfew", 2)
    assert event_type(seq("open/VERB fire/NOUN")) == ("ASSAULT", "firearms", 1)
    assert event_type(seq("call/VERB on/ADP side/NOUN")) == ("REQUEST", None, 0)
    assert event_type(seq("release/VERB prisoner/NOUN")) == ("RETREAT", "release", 0)
    assert event_type(seq("release/VERB result/NOUN")) is None
    assert event_type(seq("lift/VERB the/DET curfew/NOUN")) == ("CONCEDE", None, 0)
    assert event_type(seq("joint/ADJ exercise/NOUN")) == ("COOPERATE", None, 1)


def test_conditional_senses():
    assert event_type(seq("missile/NOUN hit/VERB city/NOUN")) == \
        ("ASSAULT", "heavy-weapons", 1)
    assert event_type(seq("price/NOUN hit/VERB record/NOUN")) is None
    assert event_type(seq("fire/NOUN break/VERB out/ADP")) == ("OTHER", "fire", 0)
    assert event_type(seq("heart/NOUN attack/NOUN")) is None
    assert event_type(seq("meet/VERB the/DET deadline/NOUN")) is None
    assert event_type(seq("harbour/NOUN be/AUX target/NOUN")) is None
    assert event_type(seq("suicide/NOUN bombing/NOUN")) == ("ASSAULT", "suicide-attack", 1)


def test_fighting_alleged_and_borrowed_modes():
    assert event_type(seq("soldier/NOUN be/AUX fight/VERB")) == ("ASSAULT", None, 2)
    assert event_type(seq("fight/VERB corruption/NOUN")) is None
    assert event_type(seq("the/DET allege/VERB deployment/NOUN")) == ("MOBILIZE", "troops", 2)
    assert event_type(seq("they/PRON allege/VERB fraud/NOUN")) == ("ACCUSE", "allege", 1)
    # the weapon is too far from "kill", but the strike gives the mode
    assert event_type(seq("officer/NOUN be/AUX kill/VERB in/ADP a/DET ukrainian/ADJ "
                          "missile/NOUN strike/NOUN")) == ("ASSAULT", "heavy-weapons", 2)


def test_harm_gives_way_to_a_named_cause():
    assert event_type(seq("people/NOUN be/AUX injure/VERB in/ADP crash/NOUN")) == \
        ("OTHER", "accident", 4)
    assert event_type(seq("flood/NOUN destroy/VERB house/NOUN")) == ("OTHER", "disaster", 0)
    # an explicit attack word keeps the harm verb
    assert event_type(seq("shelling/NOUN kill/VERB three/NUM and/CCONJ start/VERB fire/NOUN")) \
        == ("ASSAULT", "heavy-weapons", 1)


def test_case_is_normalised():
    assert event_type([("Arrest", "verb")]) == ("COERCE", "arrest", 0)


# --------------------------------------------------------------- coverage on real parses

@pytest.fixture(scope="module")
def nlp():
    from claimledger.nlp.pipeline import load_model

    return load_model("en_core_web_md")


def classify(nlp, text):
    """As claims/build.py does: the content's tokens without punctuation and spaces."""
    tokens = [t for t in nlp(text) if not t.is_punct and not t.is_space]
    found = event_type([(t.lemma_.lower(), t.pos_) for t in tokens])
    if found is None:
        return None
    kind, mode, i = found
    return kind, mode, tokens[i].text


CASES = [
    ("Russian drones struck the port of Odesa overnight", ("ASSAULT", "aerial", "struck")),
    ("Drone strike sets Odesa harbour ablaze", ("ASSAULT", "aerial", "strike")),
    ("its forces had targeted civilian port facilities", ("ASSAULT", None, "targeted")),
    ("North Korean troops are expected to arrive in Kursk Oblast",
     ("MOBILIZE", "troops", "arrive")),
    ("The army deployed troops to the border", ("MOBILIZE", "troops", "deployed")),
    ("Moscow sent soldiers to the region", ("MOBILIZE", "troops", "sent")),
    ("Turkey is expected to host talks on the security of merchant shipping",
     ("CONSULT", None, "talks")),
    ("Ankara will invite delegations to Istanbul", ("CONSULT", None, "invite")),
    ("The two sides will negotiate next week", ("CONSULT", None, "negotiate")),
    ("The ministers met in Geneva", ("CONSULT", None, "met")),
    ("the EU was ready to help cover war-risk insurance", ("AID", None, "help")),
    ("The EU will send aid to the region", ("AID", None, "aid")),
    ("The EU delivered humanitarian assistance", ("AID", None, "assistance")),
    ("The two sides signed an agreement", ("AGREE", None, "agreement")),
    ("They agreed a ceasefire", ("AGREE", None, "agreed")),
    ("three port workers had been injured", ("ASSAULT", None, "injured")),
    ("Five civilians were killed", ("ASSAULT", None, "killed")),
    ("Officials may have been killed in a Ukrainian missile strike near the border",
     ("ASSAULT", "heavy-weapons", "killed")),
    ("Russia said North Korean soldiers were fighting for Moscow",
     ("ASSAULT", None, "fighting")),
    ("The city was shelled overnight", ("ASSAULT", "heavy-weapons", "shelled")),
    ("Russian jets bombed the town", ("ASSAULT", "aerial", "bombed")),
    ("A soldier was shot at the checkpoint", ("ASSAULT", "firearms", "shot")),
    ("Kyiv accused Moscow of war crimes", ("ACCUSE", "allege", "accused")),
    ("The EU condemned the attack", ("ACCUSE", "disapprove", "condemned")),
    ("The government rejected the proposal", ("REJECT", None, "rejected")),
    ("The union refused to negotiate", ("REJECT", None, "refused")),
    ("Iran threatened to close the strait", ("THREATEN", None, "threatened")),
    ("Farmers protested outside parliament", ("PROTEST", "demo", "protested")),
    ("Several hundred demonstrators rallied outside parliament",
     ("PROTEST", "demo", "rallied")),
    ("Thousands of demonstrators gathered in the square", ("PROTEST", "demo", "demonstrators")),
    ("New sanctions were announced on Friday", ("SANCTION", None, "sanctions")),
    ("The US imposed sanctions on the company", ("SANCTION", None, "sanctions")),
    ("Police arrested dozens of people", ("COERCE", "arrest", "arrested")),
    ("Authorities detained two journalists", ("COERCE", "arrest", "detained")),
    ("Customs officers seized the cargo", ("COERCE", "confiscate", "seized")),
    ("The army withdrew from the town", ("RETREAT", "withdraw", "withdrew")),
    ("The rebels retreated to the hills", ("RETREAT", "withdraw", "retreated")),
    ("The UN called on both sides to stop fighting", ("REQUEST", None, "called")),
    ("The minister urged calm", ("REQUEST", None, "urged")),
    ("Protesters demanded the release of the detainees", ("REQUEST", None, "demanded")),
    ("The president praised the decision", ("SUPPORT", None, "praised")),
    ("The party endorsed the candidate", ("SUPPORT", None, "endorsed")),
    ("Washington backed the plan", ("SUPPORT", None, "backed")),
    # PLOVER manual: "the actual release or exchange of prisoners should be coded as RETREAT"
    ("The government released prisoners on Tuesday", ("RETREAT", "release", "released")),
    ("The minister conceded defeat", ("CONCEDE", None, "conceded")),
    ("The minister apologised for the delay", ("CONCEDE", None, "apologised")),
    ("The two agencies cooperate on border security", ("COOPERATE", None, "cooperate")),
    ("The two navies held joint exercises", ("COOPERATE", None, "exercises")),
    ("Dockers went on strike over pay", ("PROTEST", "strike", "strike")),
    ("An earthquake struck the region", ("OTHER", "disaster", "earthquake")),
    ("The flood destroyed several houses", ("OTHER", "disaster", "flood")),
    ("Flooding closed the road", ("OTHER", "disaster", "Flooding")),
    ("Firefighters had contained the blaze by mid-morning", ("OTHER", "fire", "blaze")),
    ("Three people were injured in a car crash", ("OTHER", "accident", "crash")),
    ("Voters go to the polls in the election on Sunday", ("OTHER", "election", "election")),
    ("Inflation rose to 5 percent", ("OTHER", "economy", "Inflation")),
    # no flood word: people leaving their homes is all the lexicon sees
    ("Several hundred residents left their homes as the Danube rose",
     ("OTHER", "displacement", "left")),
    ("The port is working. Ships are moving", None),
    ("He said the harbour was the obvious target", None),
    ("The company released its quarterly results", None),
]


@pytest.mark.slow
@pytest.mark.parametrize("text,expected", CASES, ids=[c[0][:40] for c in CASES])
def test_coverage_on_real_parses(nlp, text, expected):
    assert classify(nlp, text) == expected

"""Attribution patterns, one sentence or paragraph each, through the real pipeline."""

from __future__ import annotations

import pytest

from claimledger.claims.attribution import find_quotes

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def nlp():
    from claimledger.nlp.pipeline import load_pipeline

    return load_pipeline("en_core_web_md")


def claims_of(nlp, text, outlet=None):
    doc = nlp.make_doc(text)
    doc._.outlet = outlet
    doc = nlp(doc)
    return [a for a in doc._.attributions if a.rule != "assertion"], text


def content(text, a):
    return text[a.content_start:a.content_end]


def cue(text, a):
    return text[a.cue_start:a.cue_end] if a.cue_start is not None else None


def test_quotes_are_read_by_position():
    text = "”Mr. Smith is wrong.” ― Ana Ruiz\nHe said:\"Go now.\" Then “we left,” she said."
    spans = [text[a:b] for a, b in find_quotes(text)]
    assert spans == ["”Mr. Smith is wrong.”", '"Go now."', "“we left,”"]
    assert find_quotes("It’s Budanov’s view") == []


def test_signed_quote(nlp):
    found, text = claims_of(nlp, "Comments\n\n“He represents our greatest shame.” ― Sonya Herridge\n"
                                 "“We need change.”\xa0― Carla Sanchez.\n")
    names = [a.source.name for a in found]
    assert names == ["Sonya Herridge", "Carla Sanchez"]
    assert content(text, found[0]) == "He represents our greatest shame"
    assert all(a.quote == "direct" for a in found)


def test_transcript_speaker_label(nlp):
    found, text = claims_of(nlp, "Transcript\n\nWALLACE: Will she attend the debate?\n\n"
                                 "PENCE: She will not be attending the debate tomorrow night.")
    pence = [a for a in found if a.source.name == "Pence"]
    assert pence and content(text, pence[0]).startswith("She will not be attending")
    assert pence[0].certainty == "CT-"


def test_cue_after_the_content(nlp):
    found, text = claims_of(nlp, "Donald Trump could embrace a clean energy policy, Sen. Lindsey "
                                 "Graham told The Huffington Post on Thursday.")
    (a,) = found
    assert a.source.name == "Lindsey Graham" and "The Huffington Post" in a.channel
    assert content(text, a) == "Donald Trump could embrace a clean energy policy"
    assert a.certainty == "PS+"


def test_said_she_thinks_is_one_claim(nlp):
    found, text = claims_of(nlp, "Clinton said she thinks America is strongest together.")
    (a,) = found
    assert cue(text, a) == "said" and a.certainty == "PR+"


def test_could_not_confirm_folds_into_the_speaker(nlp):
    found, text = claims_of(nlp, "NATO said on Wednesday it could not confirm reports that "
                                 "Russian naval drones had been used in the attack.")
    nato = [a for a in found if a.source.name == "NATO"]
    assert len(nato) == 1 and cue(text, nato[0]) == "could not confirm"
    assert nato[0].certainty == "Uu"
    reports = [a for a in found if a.source.kind == "reports"]
    assert reports and content(text, reports[0]).startswith("Russian naval drones")
    assert reports[0].certainty == "PS+"  # the non-confirmation does not weaken the reports


def test_participle_speaks_for_the_subject(nlp):
    found, text = claims_of(nlp, "The mayor resigned on Friday, saying that the budget was "
                                 "impossible to balance.")
    (a,) = [a for a in found if cue(text, a) == "saying"]
    assert a.source.name == "mayor" and content(text, a).startswith("the budget was")


def test_colon_introduces_the_quote(nlp):
    found, text = claims_of(nlp, "Kyrylo Budanov spoke to reporters. He said:\n\n"
                                 "“We are waiting for the first units tomorrow.”\n\nMore text.")
    said = [a for a in found if cue(text, a) == "said"]
    assert said and "waiting for the first units" in content(text, said[0])
    assert said[0].source.name == "Kyrylo Budanov"


def test_relay_through_an_outlet_becomes_channel(nlp):
    found, text = claims_of(nlp, "Reuters reported that Ukrainian officials said the bridge "
                                 "was destroyed.", outlet="Daily Example")
    officials = [a for a in found if "officials" in a.source.name]
    assert officials and officials[0].channel == ["Reuters", "Daily Example"]
    assert not [a for a in found if a.source.name == "Reuters"]


def test_an_outlet_relaying_itself_is_one_channel(nlp):
    """Reports of an outlet nested in one another (hostile text) name it once: the channel
    list once doubled at each step (30 steps: a hang, or a list SQLite could not store)."""
    text = "Reuters reported that " * 20 + "the bridge was destroyed."
    found, _ = claims_of(nlp, text)
    assert found
    assert all(len(a.channel) == len(set(a.channel)) for a in found)


def test_definite_description_resolves(nlp):
    found, text = claims_of(nlp, "A senior Turkish official told The Harbour Ledger that ten "
                                 "ships were hit. The official said talks would follow.")
    assert [a.source.name for a in found] == ["senior Turkish official"] * 2
    assert found[0].source.affiliation == "Turkey" and found[0].source.role == "senior official"


def test_a_report_inside_a_denial_stands_on_no_ones_word(nlp):
    found, text = claims_of(nlp, "Moscow denied that Kyiv said the bridge was destroyed.")
    kyiv = [a for a in found if a.source.name == "Kyiv"]
    assert kyiv and kyiv[0].certainty == "Uu"
    moscow = [a for a in found if a.source.name == "Moscow"]
    assert moscow and moscow[0].certainty == "CT-"


def test_a_continued_quote_keeps_the_speakers_hedge(nlp):
    found, text = claims_of(nlp, "“The troops will arrive,” Budanov suggested. “They are "
                                 "already in Kursk.”")
    assert [a.certainty for a in found] == ["PS+", "PS+"]
    assert found[1].rule == "continued quote"


def test_relayed_claims_are_never_surer_than_their_chain(nlp):
    found, text = claims_of(nlp, "Budanov suggested that Putin told aides the troops would "
                                 "arrive on Monday.")
    putin = [a for a in found if a.source.name == "Putin"]
    assert putin and putin[0].certainty in ("PS+", "Uu")


def test_section_labels_and_groups_are_not_speakers_or_outlets(nlp):
    found, text = claims_of(nlp, "BREAKING: Troops have crossed the border. Austin told "
                                 "Ukrainian soldiers that help was coming.")
    assert not [a for a in found if a.source.name.lower() == "breaking"]
    austin = [a for a in found if a.source.name == "Austin"]
    assert austin and "Ukrainian soldiers" not in austin[0].channel


def test_two_apostrophe_quotes_are_quotes():
    text = "''We will win,'' he said, ''and soon.'' Then it's ``over'' for them."
    assert [text[s:e] for s, e in find_quotes(text)] == [
        "''We will win,''", "''and soon.''", "``over''"]


def test_cue_keeps_its_auxiliary_and_adverb_and_content_drops_a_dangling_conjunction(nlp):
    found, text = claims_of(nlp, "The governor has also said that the bridge is safe.")
    assert [cue(text, a) for a in found] == ["has also said"]
    from claimledger.claims.attribution import trim

    doc = nlp("He said he would not back Trump and.")
    s, e = trim(doc, doc.text.index("he would"), len(doc.text))
    assert doc.text[s:e] == "he would not back Trump"

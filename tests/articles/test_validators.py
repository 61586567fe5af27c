import pytest
from django.core.exceptions import ValidationError

from articles.models import Publication
from articles.validators import issn_check_digit, normalise_issn, validate_issn


@pytest.mark.parametrize("issn", ["2330-717X", "2330-717x", " 2330-717X ", "0317-8471", "1050-124X", "0000-0000"])
def test_valid_issns_pass(issn):
    validate_issn(issn)


@pytest.mark.parametrize(
    ("issn", "code"),
    [
        ("2330-7170", "issn_check_digit"),
        ("0317-8472", "issn_check_digit"),
        ("2330717X", "issn_format"),
        ("2330-71X7", "issn_format"),
        ("ABCD-EFGH", "issn_format"),
        ("2330-717XX", "issn_format"),
        ("", "issn_format"),
        ("２３３０-７１７X", "issn_format"),
        ("<script>", "issn_format"),
    ],
)
def test_invalid_issns_fail_with_a_code(issn, code):
    with pytest.raises(ValidationError) as error:
        validate_issn(issn)
    assert error.value.code == code


def test_check_digit_of_ten_is_x():
    assert issn_check_digit("2330717") == "X"
    assert issn_check_digit("0317847") == "1"


def test_wrong_check_digit_message_names_the_right_one():
    with pytest.raises(ValidationError) as error:
        validate_issn("2330-7170")
    assert "should be X" in str(error.value.messages[0])


def test_lowercase_x_is_normalised_on_the_model():
    publication = Publication(name="Gazette", issn="2330-717x")
    publication.full_clean()
    assert publication.issn == "2330-717X"
    assert normalise_issn(" 1050-124x") == "1050-124X"

from index.text import normalize, plain_text, sentences


def test_plain_text_strips_markup_and_keeps_math():
    md = "**굵게** and [link](http://x) ![img](y.png) <br/> `code` <!-- $a^2$ --> <img src='m.png'> *it*"
    text = plain_text(md)
    assert "굵게" in text and "link" in text and "http" not in text and "y.png" not in text
    assert "a^2" in text and "<img" not in text and "code" in text and "it" in text and "*" not in text


def test_multiplication_stars_survive():
    assert "w_1*x_1 + w_2*x_2" in plain_text("y = w_1*x_1 + w_2*x_2")


def test_sentences_split_on_end_marks_not_decimals_or_ellipses():
    assert sentences("최댓값은 0.25이다. x_1, ... , x_n 이다! 정말? 끝이다.") == [
        "최댓값은 0.25이다.",
        "x_1, ... , x_n 이다!",
        "정말?",
        "끝이다.",
    ]


def test_normalize_drops_zero_width_and_folds_space():
    assert normalize("  A\u200bB   C\u0007 ") == "ab c"

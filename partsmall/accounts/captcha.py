"""A small image captcha (图形验证码) drawn with Pillow; no outside service.

The answer is kept in the session as a keyed hash and is good for one check only.
"""

import io
import secrets

from django.contrib.sessions.backends.base import SessionBase
from django.utils.crypto import constant_time_compare, salted_hmac
from PIL import Image, ImageDraw, ImageFilter, ImageFont

# No characters that are easily confused: 0/O/D/Q, 1/I/L, 2/Z, 5/S, 8/B, U/V, G/6.
ALPHABET = "ACEFHJKMNPRTWXY34679"
LENGTH = 4
SESSION_KEY = "accounts_captcha"
WIDTH, HEIGHT = 120, 40


def _hash(answer: str) -> str:
    return salted_hmac("partsmall.accounts.captcha", answer.strip().upper(), algorithm="sha256").hexdigest()


def captcha_issue(session: SessionBase) -> str:
    """A new answer, remembered (hashed) in the session, replacing any earlier one."""
    text = "".join(secrets.choice(ALPHABET) for _ in range(LENGTH))
    session[SESSION_KEY] = _hash(text)
    return text


def captcha_matches(session: SessionBase, answer: str) -> bool:
    """Whether `answer` is the last issued one. Spends it either way."""
    expected = session.pop(SESSION_KEY, None)
    if not expected or not (answer or "").strip():
        return False
    return constant_time_compare(expected, _hash(answer))


def captcha_png(text: str) -> bytes:
    rng = secrets.SystemRandom()
    image = Image.new("RGB", (WIDTH, HEIGHT), (243, 246, 251))
    draw = ImageDraw.Draw(image)
    for _ in range(5):
        points = [(rng.randint(0, WIDTH), rng.randint(0, HEIGHT)) for _ in range(2)]
        draw.line(points, fill=(rng.randint(120, 200), rng.randint(120, 200), rng.randint(160, 220)), width=1)
    font = ImageFont.load_default(size=26)
    for index, char in enumerate(text):
        glyph = Image.new("RGBA", (32, 36), (0, 0, 0, 0))
        ImageDraw.Draw(glyph).text(
            (6, 2), char, font=font, fill=(22, rng.randint(60, 119), rng.randint(160, 255))
        )
        glyph = glyph.rotate(rng.uniform(-25, 25), resample=Image.Resampling.BICUBIC, expand=False)
        image.paste(glyph, (6 + index * 27 + rng.randint(-2, 2), rng.randint(0, 4)), glyph)
    for _ in range(60):
        draw.point((rng.randint(0, WIDTH - 1), rng.randint(0, HEIGHT - 1)), fill=(rng.randint(100, 200),) * 3)
    image = image.filter(ImageFilter.SMOOTH)
    buffer = io.BytesIO()
    image.save(buffer, format="PNG")
    return buffer.getvalue()

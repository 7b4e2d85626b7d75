"""Imports every domain's models so that the metadata (and Alembic) sees every table."""

from app.accounts import models as accounts  # noqa: F401
from app.audit import models as audit  # noqa: F401
from app.checklist import models as checklist  # noqa: F401
from app.coaching import models as coaching  # noqa: F401
from app.referrals import models as referrals  # noqa: F401

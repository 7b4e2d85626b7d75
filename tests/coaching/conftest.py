"""Coaching fixtures: the hand-counted world, and a coach of teams A and B signed in."""

from __future__ import annotations

import pytest
from sqlmodel import Session

from tests.coaching.data import World, build
from tests.factories import PASSWORD, make_user
from tests.helpers import Browserless


@pytest.fixture
def world(session: Session) -> World:
    return build(session)


@pytest.fixture
def coach(client: Browserless, session: Session, world: World) -> Browserless:
    user = make_user(session, roles=["coach"], coaches=[world.a, world.b])
    client.log_in(user.username, PASSWORD)
    client.user = user
    return client

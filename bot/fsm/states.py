from aiogram.fsm.state import State, StatesGroup


class AppForm(StatesGroup):
    category = State()
    description = State()
    amount = State()
    term = State()
    region = State()
    client_name = State()
    client_phone = State()
    files = State()
    summary = State()


class OfferForm(StatesGroup):
    monthly_payment = State()
    term = State()
    advance = State()
    buyout = State()
    comment = State()
    file = State()
    summary = State()


class Reason(StatesGroup):
    """A text an action needs: a rejection reason, a question, a rework comment."""

    text = State()


class DealRoom(StatesGroup):
    chatting = State()


class AdminInput(StatesGroup):
    directory_name = State()
    user_lookup = State()


class ProfileInput(StatesGroup):
    amount = State()
    term = State()


#: dialogs that a command or another button must not silently break
FORMS = (AppForm, OfferForm, Reason, AdminInput, ProfileInput)

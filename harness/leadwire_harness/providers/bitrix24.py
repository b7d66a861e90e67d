"""A small in-memory Bitrix24 portal behind the REST webhook URL.

It really stores leads, contacts and timeline comments, and answers the
methods leadwire's connector uses the way a portal does: string fields,
multi-fields as ``[{"ID", "VALUE_TYPE", "VALUE", "TYPE_ID"}]``, empty results
as ``[]``, errors as ``{"error", "error_description"}``. ``batch`` runs its
commands one by one and reports each.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import attrs
import httpx

from leadwire_harness.providers.base import Call, FaultQueue, json_body, reply

__all__ = ["Portal", "PortalError"]

_MULTI = ("PHONE", "EMAIL", "WEB", "IM")
_STATUSES = {
    "NEW": "P",
    "IN_PROCESS": "P",
    "PROCESSED": "P",
    "CONVERTED": "S",
    "JUNK": "F",
}
_OPERATORS = ("!@", "!=", ">=", "<=", "=", "!", ">", "<", "@", "%")


class PortalError(Exception):
    """An error answer: HTTP status, Bitrix24 code and description."""

    def __init__(self, status: int, code: str, description: str) -> None:
        self.status = status
        self.code = code
        self.description = description
        super().__init__(f"{code} (HTTP {status})")


@attrs.define
class _Store:
    """One entity type's records and their id counter."""

    records: dict[int, dict[str, Any]] = attrs.field(factory=dict)
    next_id: int = 1

    def new_id(self) -> int:
        self.next_id += 1
        return self.next_id - 1


class Portal:
    """A Bitrix24 portal reachable at *webhook_url*.

    :param webhook_url: ``https://<portal>/rest/<user>/<code>/``.
    :param clock: Stamps DATE_CREATE and DATE_MODIFY.
    :param auth: ``ok``; ``rejected`` answers every call 401 NO_AUTH_FOUND,
        ``expired`` 401 expired_token.
    """

    provider = "bitrix24"

    def __init__(self, webhook_url: str, clock: Any, *, auth: str = "ok") -> None:
        parts = urlsplit(webhook_url)
        self.host = parts.netloc
        self.base_path = parts.path.rstrip("/") + "/"
        self.clock = clock
        self.auth = auth
        self.leads = _Store()
        self.contacts = _Store()
        self.comments = _Store()
        self.calls: list[Call] = []
        self.faults = FaultQueue()
        self.turn = -1

    # -- seeding and reading --------------------------------------------

    def seed_lead(self, name: str, phone: str, title: str, age: float) -> int:
        """Put a lead in the portal as if made *age* seconds ago."""
        stamp = self.clock.now() - timedelta(seconds=age)
        return self._insert(
            self.leads,
            {"TITLE": title, "NAME": name, "PHONE": [{"VALUE": phone}]},
            stamp,
        )

    def lead_list(self) -> list[dict[str, Any]]:
        """Every lead, as ``crm.lead.get`` would give it, by id."""
        return [self.leads.records[key] for key in sorted(self.leads.records)]

    def comments_of(self, lead_id: int) -> list[dict[str, Any]]:
        return [
            comment
            for comment in self.comments.records.values()
            if comment["ENTITY_ID"] == str(lead_id)
            and comment["ENTITY_TYPE"].lower() == "lead"
        ]

    # -- HTTP -------------------------------------------------------------

    def handle(self, request: httpx.Request) -> httpx.Response:
        """Answer one REST request."""
        method = self._method(request)
        body = json_body(request)
        if body is None:
            body = _php_decode(request.content.decode("utf-8", "replace"))
        failure = self.faults.take(method)

        def answer() -> httpx.Response:
            try:
                self._authorise(request)
                result = self.call(method, body or {})
            except PortalError as error:
                return httpx.Response(
                    error.status,
                    json={"error": error.code, "error_description": error.description},
                )
            return httpx.Response(200, json={"result": result, **self._timing()})

        try:
            response = reply(request, failure, answer, self.clock)
        except httpx.TimeoutException:
            self._record(method, body, 0, failure)
            raise
        self._record(method, body, response.status_code, failure)
        return response

    def _record(self, method: str, body: Any, status: int, failure: Any) -> None:
        name = failure.name if failure else None
        self.calls.append(Call(self.provider, method, body, self.turn, status, name))

    def _method(self, request: httpx.Request) -> str:
        path = request.url.path
        tail = path[len(self.base_path) :] if path.startswith(self.base_path) else path
        return tail.rsplit("/", 1)[-1].removesuffix(".json")

    def _authorise(self, request: httpx.Request) -> None:
        if self.auth == "expired":
            raise PortalError(
                401, "expired_token", "The access token provided has expired."
            )
        if self.auth == "rejected" or not request.url.path.startswith(self.base_path):
            raise PortalError(401, "NO_AUTH_FOUND", "Wrong authorization data")

    def _timing(self) -> dict[str, Any]:
        moment = self.clock.now().isoformat()
        return {
            "time": {"start": 0, "finish": 0, "duration": 0.01, "date_start": moment}
        }

    # -- methods ----------------------------------------------------------

    def call(self, method: str, params: Mapping[str, Any]) -> Any:
        """Run one REST method; raise :class:`PortalError` as the portal would."""
        if method == "batch":
            return self._batch(params)
        if method == "crm.duplicate.findbycomm":
            return self._find_by_comm(params)
        if method == "crm.status.list":
            return [
                {"STATUS_ID": status, "ENTITY_ID": "STATUS", "NAME": status}
                for status in _STATUSES
            ]
        match = re.fullmatch(r"crm\.(lead|contact|timeline\.comment)\.(\w+)", method)
        if match is None:
            raise PortalError(404, "ERROR_METHOD_NOT_FOUND", "Method not found!")
        entity, verb = match.groups()
        store = {
            "lead": self.leads,
            "contact": self.contacts,
            "timeline.comment": self.comments,
        }[entity]
        handler = getattr(self, f"_{verb}", None)
        if handler is None:
            raise PortalError(404, "ERROR_METHOD_NOT_FOUND", "Method not found!")
        return handler(store, params)

    def _insert(self, store: _Store, fields: Any, stamp: datetime | None = None) -> int:
        if not isinstance(fields, Mapping):
            raise PortalError(400, "", "Parameter 'fields' must be array.")
        record_id = store.new_id()
        moment = _stamp(stamp or self.clock.now())
        record: dict[str, Any] = {
            "ID": str(record_id),
            "DATE_CREATE": moment,
            "DATE_MODIFY": moment,
        }
        if store is self.leads:
            record.update(
                {"STATUS_ID": "NEW", "STATUS_SEMANTIC_ID": "P", "OPENED": "Y"}
            )
        self._apply(record, fields)
        store.records[record_id] = record
        return record_id

    def _apply(self, record: dict[str, Any], fields: Mapping[str, Any]) -> None:
        for key, value in fields.items():
            if key in _MULTI:
                record[key] = _merge_multi(record.get(key, []), value, key)
            elif key not in ("ID", "DATE_CREATE"):
                record[key] = "" if value is None else str(value)
        status = record.get("STATUS_ID")
        if status in _STATUSES:
            record["STATUS_SEMANTIC_ID"] = _STATUSES[status]
        record["DATE_MODIFY"] = _stamp(self.clock.now())

    def _get_record(self, store: _Store, params: Mapping[str, Any]) -> dict[str, Any]:
        try:
            record_id = int(str(params.get("id") or params.get("ID")))
        except ValueError:
            raise PortalError(400, "", "ID is not defined or invalid.") from None
        record = store.records.get(record_id)
        if record is None:
            raise PortalError(400, "", "Not found")
        return record

    # REST verbs, looked up by name from ``call``.

    def _add(self, store: _Store, params: Mapping[str, Any]) -> int:
        return self._insert(store, params.get("fields"))

    def _get(self, store: _Store, params: Mapping[str, Any]) -> dict[str, Any]:
        return dict(self._get_record(store, params))

    def _update(self, store: _Store, params: Mapping[str, Any]) -> bool:
        record = self._get_record(store, params)
        fields = params.get("fields")
        if not isinstance(fields, Mapping):
            raise PortalError(400, "", "Parameter 'fields' must be array.")
        self._apply(record, fields)
        return True

    def _delete(self, store: _Store, params: Mapping[str, Any]) -> bool:
        record = self._get_record(store, params)
        del store.records[int(record["ID"])]
        return True

    def _list(self, store: _Store, params: Mapping[str, Any]) -> list[dict[str, Any]]:
        found = [
            record
            for record in store.records.values()
            if _matches(record, params.get("filter") or {})
        ]
        order = params.get("order") or {"ID": "ASC"}
        for field, direction in reversed(list(dict(order).items())):
            found.sort(
                key=lambda record, field=field: _sort_key(record.get(field)),
                reverse=str(direction).upper() == "DESC",
            )
        start = int(params.get("start") or 0)
        select = params.get("select")
        page = found[start : start + 50]
        if select and "*" not in select:
            keep = {*select, "ID"}
            page = [{k: v for k, v in record.items() if k in keep} for record in page]
        return [dict(record) for record in page]

    def _find_by_comm(self, params: Mapping[str, Any]) -> Any:
        kind = str(params.get("type", "")).upper()
        if kind not in ("PHONE", "EMAIL"):
            raise PortalError(400, "", "Parameter 'type' is not defined or invalid.")
        values = params.get("values") or []
        if not isinstance(values, list) or len(values) > 20:
            raise PortalError(400, "", "Too many values (max 20) or not a list.")
        wanted = {_comm_key(kind, str(value)) for value in values}
        entity = str(params.get("entity_type") or "").upper()
        found: dict[str, list[int]] = {}
        for name, store in (("LEAD", self.leads), ("CONTACT", self.contacts)):
            if entity and entity != name:
                continue
            ids = [
                record_id
                for record_id, record in sorted(store.records.items())
                if any(
                    _comm_key(kind, str(item.get("VALUE", ""))) in wanted
                    for item in record.get(kind, [])
                )
            ]
            if ids:
                found[name] = ids
        return found or []

    def _batch(self, params: Mapping[str, Any]) -> dict[str, Any]:
        commands = params.get("cmd") or {}
        results: dict[str, Any] = {}
        errors: dict[str, Any] = {}
        for key, command in dict(commands).items():
            method, _, query = str(command).partition("?")
            try:
                results[key] = self.call(method, _php_decode(query))
            except PortalError as error:
                errors[key] = {
                    "error": error.code,
                    "error_description": error.description,
                }
                if str(params.get("halt", "0")) not in ("0", "", "false"):
                    break
        return {
            "result": results or [],
            "result_error": errors or [],
            "result_total": [],
            "result_next": [],
            "result_time": [],
        }


# --------------------------------------------------------------------------
# Helpers


def _stamp(moment: datetime) -> str:
    return moment.astimezone().replace(microsecond=0).isoformat()


def _comm_key(kind: str, value: str) -> str:
    """How the portal compares phones and e-mails: digits, or lower case."""
    if kind == "EMAIL":
        return value.strip().lower()
    digits = re.sub(r"\D", "", value)
    if len(digits) == 11 and digits[0] == "8":
        digits = "7" + digits[1:]
    return digits


def _merge_multi(existing: list[dict[str, Any]], value: Any, key: str) -> list[Any]:
    """Multi-field items without an ID are added; with an ID, changed or removed."""
    items = [dict(item) for item in existing]
    for raw in value if isinstance(value, list) else [value]:
        item = raw if isinstance(raw, Mapping) else {"VALUE": raw}
        if item.get("ID"):
            items = [i for i in items if i["ID"] != str(item["ID"])]
            if not item.get("VALUE"):
                continue
        next_id = max([int(i["ID"]) for i in items] + [0]) + 1
        items.append(
            {
                "ID": str(item.get("ID") or next_id),
                "VALUE_TYPE": str(item.get("VALUE_TYPE") or "WORK"),
                "VALUE": str(item.get("VALUE", "")),
                "TYPE_ID": key,
            }
        )
    return items


def _sort_key(value: Any) -> tuple[int, Any]:
    text = str(value or "")
    return (0, int(text)) if text.isdigit() else (1, text)


def _compare(left: Any, right: Any) -> int:
    """Compare two field values as numbers, moments or texts."""
    for parse in (float, datetime.fromisoformat):
        try:
            a, b = parse(str(left)), parse(str(right))  # type: ignore[operator]
            return (a > b) - (a < b)
        except (TypeError, ValueError):
            continue
    a, b = str(left), str(right)
    return (a > b) - (a < b)


def _matches(record: Mapping[str, Any], conditions: Any) -> bool:
    """Evaluate a Bitrix24 list filter: ``=F``, ``!F``, ``>F``, ``@F``, ``%F``..."""
    if not isinstance(conditions, Mapping):
        return True
    for raw_key, wanted in conditions.items():
        key = str(raw_key)
        operator = next((op for op in _OPERATORS if key.startswith(op)), "=")
        field = key[len(operator) :] if key.startswith(operator) else key
        if field in _MULTI:
            have = [str(item.get("VALUE", "")) for item in record.get(field, [])]
            hit = any(
                _comm_key(field, h) == _comm_key(field, str(w))
                for h in have
                for w in (wanted if isinstance(wanted, list) else [wanted])
            )
            if hit == operator.startswith("!"):
                return False
            continue
        value = record.get(field, "")
        if not _holds(operator, value, wanted):
            return False
    return True


def _holds(operator: str, value: Any, wanted: Any) -> bool:
    if operator in ("@", "!@"):
        options = wanted if isinstance(wanted, list) else [wanted]
        inside = str(value) in {str(option) for option in options}
        return inside if operator == "@" else not inside
    if operator == "%":
        return str(wanted).lower() in str(value).lower()
    if isinstance(wanted, list):
        inside = str(value) in {str(option) for option in wanted}
        return not inside if operator in ("!", "!=") else inside
    order = _compare(value, wanted)
    return {
        "=": order == 0,
        "!": order != 0,
        "!=": order != 0,
        ">": order > 0,
        ">=": order >= 0,
        "<": order < 0,
        "<=": order <= 0,
    }[operator]


def _php_decode(query: str) -> dict[str, Any]:
    """Parse ``filter[ID][0]=1&select[]=NAME`` into nested dicts and lists."""
    root: dict[str, Any] = {}
    for name, value in parse_qsl(query, keep_blank_values=True):
        keys = [key.strip("[]") for key in re.findall(r"^[^\[]+|\[[^\]]*\]", name)]
        node: Any = root
        for position, key in enumerate(keys):
            last = position == len(keys) - 1
            if isinstance(node, list):
                if last:
                    node.append(value)
                else:
                    node.append({})
                    node = node[-1]
                continue
            if last:
                node[key] = value
                continue
            following = keys[position + 1]
            default: Any = [] if following == "" else {}
            node = node.setdefault(key, default)
    return _listify(root)


def _listify(value: Any) -> Any:
    """Turn maps keyed 0..n-1 into lists, as PHP arrays read back."""
    if isinstance(value, dict):
        converted = {key: _listify(item) for key, item in value.items()}
        keys = list(converted)
        if keys and keys == [str(index) for index in range(len(keys))]:
            return list(converted.values())
        return converted
    if isinstance(value, list):
        return [_listify(item) for item in value]
    return value

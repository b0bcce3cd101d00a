"""The write path of the registers: documents, tasks and narrative entries.

Every function takes the acting user first, checks Perm.ENTER on the unit, validates (errors
name the field and what is wrong), writes an audit event and commits atomically.  Document
changes re-count the vb.* indicators of the periods they touch (see counting.py).  The
functions live in documents.py, tasks.py and entries.py; this module is their one address.
"""

from __future__ import annotations

from ._common import Actor, RegisterError
from .counting import Conflict, SyncResult, register_conflicts, sync_document_counts
from .documents import (
    DocumentInput,
    create_document,
    delete_document,
    document_period,
    input_from_reference,
    register_references,
    update_document,
)
from .entries import (
    EntryInput,
    ReplaceResult,
    check_text,
    create_entry,
    delete_entry,
    replace_entries,
    update_entry,
)
from .tasks import TaskInput, create_task, delete_task, set_task_status, update_task

__all__ = [
    "Actor",
    "Conflict",
    "DocumentInput",
    "EntryInput",
    "RegisterError",
    "ReplaceResult",
    "SyncResult",
    "TaskInput",
    "check_text",
    "create_document",
    "create_entry",
    "create_task",
    "delete_document",
    "delete_entry",
    "delete_task",
    "document_period",
    "input_from_reference",
    "register_conflicts",
    "register_references",
    "replace_entries",
    "set_task_status",
    "sync_document_counts",
    "update_document",
    "update_entry",
    "update_task",
]

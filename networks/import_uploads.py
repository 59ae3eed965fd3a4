"""An import's uploaded file, from the upload to its confirmation: refused past
IMPORT_MAX_UPLOAD_BYTES before anything reads it; kept between the preview and the
confirmation under a random name the site makes and signs (the confirm form's hidden
`import_file_name` is never a path the request chooses); removed by the confirmation that reads
it, by a preview that offers no confirmation, by a request that fails, and, for a preview
nobody confirmed (or a worker killed mid-request), by the next upload once it is older than
IMPORT_PREVIEW_MAX_AGE.
"""

import contextlib
import os
import re
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.core import signing
from django.core.exceptions import SuspiciousFileOperation, ValidationError
from django.shortcuts import redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from import_export import forms
from import_export.tmp_storages import BaseStorage

NAME = re.compile(r"[0-9a-f]{32}")
NAME_SALT = "import-file-name"


class PreviewGone(Exception):
    """The file was confirmed already, or removed as abandoned."""


def folder():
    # A folder of our own: the sweep below never touches another program's temporary files.
    path = Path(tempfile.gettempdir()) / "probono-imports"
    path.mkdir(mode=0o700, exist_ok=True)
    return path


def remove_abandoned():
    oldest = time.time() - settings.IMPORT_PREVIEW_MAX_AGE
    for entry in os.scandir(folder()):
        with contextlib.suppress(FileNotFoundError):  # another worker's sweep got there first
            if entry.stat().st_mtime < oldest:
                os.unlink(entry.path)


class UploadStorage(BaseStorage):
    """django-import-export's temporary storage (IMPORT_EXPORT_TMP_STORAGE_CLASS). The
    preview saves and reads the file; the confirmation, which names it, takes it: it moves
    the file aside before reading it, so that a second confirmation finds nothing to import."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        if self.name is not None and not NAME.fullmatch(self.name):
            raise SuspiciousFileOperation("Not the name of an import's file.")
        self.confirming = self.name is not None

    def path(self):
        return folder() / self.name

    def save(self, data):
        remove_abandoned()
        self.name = secrets.token_hex(16)
        with open(os.open(self.path(), os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), "wb") as file:
            file.write(data)

    def read(self):
        path = self.path()
        if self.confirming:
            taken = path.with_suffix(".confirming")
            try:
                path.rename(taken)
            except FileNotFoundError:
                raise PreviewGone from None
            path = taken
        try:
            with open(path, self.read_mode, encoding=self.encoding) as file:
                return file.read()
        finally:
            if self.confirming:
                path.unlink()

    def remove(self):
        self.path().unlink(missing_ok=True)


class LimitedImportForm(forms.ImportForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        limit = filesizeformat(settings.IMPORT_MAX_UPLOAD_BYTES)
        self.fields["import_file"].help_text = _("Up to %(limit)s.") % {"limit": limit}

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = settings.IMPORT_MAX_UPLOAD_BYTES
        if upload.size > limit:
            raise ValidationError(
                _(
                    "This file is %(size)s; an import takes files of up to %(limit)s. "
                    "Split it into several files."
                ),
                code="too_big",
                params={"size": filesizeformat(upload.size), "limit": filesizeformat(limit)},
            )
        return upload


class SignedFileConfirmForm(forms.ConfirmImportForm):
    """The preview signs its file's name with the format and resource it read the file with:
    import-export takes the latter two from the request as list indexes."""

    SIGNED = ("import_file_name", "format", "resource")
    MISMATCH = _("This confirmation does not match a preview.")

    def clean_import_file_name(self):
        try:
            self.previewed = signing.loads(
                self.cleaned_data["import_file_name"],
                salt=NAME_SALT,
                max_age=settings.IMPORT_PREVIEW_MAX_AGE,
            )
        except signing.SignatureExpired:
            raise ValidationError(_("This preview is too old to confirm.")) from None
        except signing.BadSignature:
            raise ValidationError(self.MISMATCH) from None
        return self.previewed["import_file_name"]

    def clean(self):
        cleaned_data = super().clean()
        previewed = getattr(self, "previewed", None)
        if previewed and any(cleaned_data.get(name) != previewed[name] for name in self.SIGNED):
            raise ValidationError(self.MISMATCH)
        return cleaned_data


class ImportUploadsMixin:
    """For an ImportMixin admin whose confirm form is a SignedFileConfirmForm."""

    import_form_class = LimitedImportForm

    def get_confirm_form_initial(self, request, import_form):
        initial = super().get_confirm_form_initial(request, import_form)
        if import_form is not None:
            previewed = {name: str(initial[name]) for name in SignedFileConfirmForm.SIGNED}
            initial = {**initial, "import_file_name": signing.dumps(previewed, salt=NAME_SALT)}
        return initial

    def import_action(self, request, **kwargs):
        response = None
        try:
            response = super().import_action(request, **kwargs)
            return response
        finally:
            if not getattr(response, "context_data", {}).get("confirm_form"):
                self.discard_upload(request)

    def discard_upload(self, request):
        # import-export names the uploaded file's copy on the upload itself.
        name = getattr(request.FILES.get("import_file"), "tmp_storage_name", None)
        if name:
            storage = self.get_tmp_storage_class()
            storage(name=name, **self.get_tmp_storage_class_kwargs()).remove()

    def process_import(self, request, **kwargs):
        try:
            response = super().process_import(request, **kwargs)
        except PreviewGone:
            problems = [_("This preview has been confirmed already, or it is too old.")]
        else:
            if not isinstance(response, TemplateResponse):
                return response
            # The confirm form did not validate: its fields are hidden, so say why up here.
            problems = [
                error for errors in response.context_data["errors"].values() for error in errors
            ]
        for problem in problems:
            messages.error(request, problem)
        messages.error(
            request, _("Nothing was imported. Choose the file again to see its preview.")
        )
        return redirect(f"admin:{self.opts.app_label}_{self.opts.model_name}_import")

"""The admin's CSV import as an editor reads it: a template to start from, and a preview that
lists every row with what it changes or what is wrong with it (networks.import_preview)."""

import csv
import io

from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.urls import path
from django.utils.http import content_disposition_header
from django.utils.text import slugify

from probono.spreadsheets import BYTE_ORDER_MARK, escape_formula


class ReadableImportMixin:
    import_template_name = "admin/import_export/directory_import.html"

    def get_urls(self):
        name = f"{self.opts.app_label}_{self.opts.model_name}_import_template"
        view = self.admin_site.admin_view(self.import_template_view)
        return [path("import/template.csv", view, name=name), *super().get_urls()]

    def import_template_view(self, request):
        """The headers the import reads and one example row: a file to fill in."""
        if not self.has_import_permission(request):
            raise PermissionDenied
        resource_class = self.get_import_resource_classes(request)[0]
        row = resource_class(**self.get_import_resource_kwargs(request)).template_row()
        out = io.StringIO()
        writer = csv.writer(out)
        writer.writerow(row)
        writer.writerow(escape_formula(value) for value in row.values())
        filename = f"{slugify(self.opts.verbose_name_plural)}-template.csv"
        return HttpResponse(
            BYTE_ORDER_MARK + out.getvalue(),
            content_type="text/csv; charset=utf-8",
            headers={"Content-Disposition": content_disposition_header(True, filename)},
        )

from django.urls import path, re_path

from cases.site import assets, views

urlpatterns = [
    path("favicon.ico", assets.favicon, name="favicon"),
    path("site-address.css", assets.print_addresses, name="print_addresses"),
    path("", views.home, name="home"),
    path("about/", views.about, name="about"),
    path("sources/", views.source_list, name="source_list"),
    re_path(r"^sources/export\.(?P<fmt>csv|json)$", views.source_export, name="source_export"),
    path("sources/<slug:slug>/", views.source_detail, name="source_detail"),
    path("places/", views.place_list, name="place_list"),
    path("places/<slug:slug>/", views.place_detail, name="place_detail"),
]

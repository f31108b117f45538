from django.urls import path

from accounts import views

app_name = "accounts"

urlpatterns = [
    path("", views.home, name="home"),
    path("inscription/", views.signup, name="signup"),
    path("inscription/envoyee/", views.signup_done, name="signup_done"),
    path("verification/<str:token>/", views.verify, name="verify"),
    path("connexion/", views.login_view, name="login"),
    path("deconnexion/", views.logout_view, name="logout"),
    path("mot-de-passe/", views.password_change, name="password_change"),
    path("mot-de-passe/modifie/", views.password_change_done, name="password_change_done"),
    path("mot-de-passe/oubli/", views.password_reset, name="password_reset"),
    path("mot-de-passe/oubli/envoye/", views.password_reset_sent, name="password_reset_sent"),
    path(
        "reinitialisation/<uidb64>/<token>/",
        views.PasswordResetConfirm.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "reinitialisation/terminee/",
        views.password_reset_complete,
        name="password_reset_complete",
    ),
    path("profil/", views.profile, name="profile"),
    path("profil/adresse/<str:token>/", views.email_confirm, name="email_confirm"),
]

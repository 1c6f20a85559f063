"""Pages for companies that have no account yet."""



app_name = "companies"

urlpatterns = []

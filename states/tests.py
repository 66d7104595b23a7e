
# Create your tests here.

// The one translation unit that defines the Boost.Test module for the whole suite.
#define BOOST_TEST_MODULE pca
#include <boost/test/unit_test.hpp>

"""The privacy policy and the terms of use (versioned, in Chinese and English, edited by the
office), the site map, and the footer's filing numbers: below accounts, which records consent."""

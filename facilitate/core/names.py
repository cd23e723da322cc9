"""Lists of common people's names, for core/personal.py. Pure: constants only.

Written for this purpose from general knowledge, not copied from any register: the first names
are roughly the most common in Norway and Sweden over the last generations (both sexes, older
and younger), some common names among people who have moved to Norway and Sweden (Somali,
Arabic, Persian, Kurdish, Turkish, Polish, Ukrainian, Bosnian, Eritrean, Vietnamese) and a few
English ones; the surnames are common Norwegian, Swedish and immigrant surnames. Statistics
Norway and Statistics Sweden publish the real frequency lists; these are approximations and
need not be complete, because a surname is also recognised by its shape (SURNAME_ENDINGS).

Left out on purpose: first names that are everyday words in a note's languages and would be
capitalised at the start of a sentence or in a heading for that reason alone (English "Will",
"May", "Mark", "Hope", Swedish "My", "Love", Norwegian "Ask", "Sol", "Vår"). Names that are
also words but common as names (Per, Tor, Bo, Liv, Mai, Kim, Eva, Dag, Even) stay: a name is
only reported as a capitalised first name followed by a capitalised surname.
"""

from __future__ import annotations


def _names(text: str) -> frozenset[str]:
    return frozenset(text.split())


FIRST_NAMES = _names(
    # Norwegian, men
    """
    Jan Per Bjørn Ole Lars Kjell Knut Arne Svein Thomas Hans Geir Tor Morten Terje Odd Martin
    Erik Andreas John Anders Rune Trond Tore Jon Harald Kristian Olav Gunnar Einar Stian Magnus
    Daniel Espen Øyvind Christian Nils Jonas Kristoffer Fredrik Marius Henrik Alexander Tom
    Eirik Jørgen Even Sindre Håkon Petter Vidar Frode Leif Steinar Ivar Helge Dag Roger Sverre
    Ola Kåre Stein Halvor Sigurd Emil Jakob Jacob Sander Mathias Tobias Elias Noah William
    Lucas Lukas Oskar Oscar Oliver Filip Aksel Axel Isak Johannes Theodor Markus Marcus Mats
    Sondre Eskil Vegard Ørjan Åge Asbjørn Tormod Arild Ragnar Sigmund Torbjørn Ketil Reidar
    Atle Jens Paul Pål Peder Robert Sebastian Adrian Benjamin Jørn Kenneth Glenn Ståle Tommy
    Ronny Ove Alf Finn Bård Eivind Gaute Hallvard Haakon Torstein Trygve Ulrik Vebjørn Audun
    Bent Birger Egil Erling Gard Gisle Halvard Jarle Kjetil Lasse Mikkel Nikolai Ruben Simen
    Steffen Thor Tord Torgeir Torleif Truls Vetle Yngve Aleksander Jonathan Kasper Leon Liam
    Magne Ludvig Hugo Iver Olai Edvard Johan Karl Carl Anton Felix Brage Erlend Kristen Eilif
    Jostein Oddvar Ottar Rolf Sigve Sivert Snorre Steinar Sturla Tarjei Teodor Torkel Øystein
    Kim Bjarne Arnfinn Roar Øivind Hallgeir Bjørnar Kai Kay Ken Jim Oddbjørn Roald Jan-Erik
    """
    # Norwegian, women
    """
    Anne Inger Kari Marit Ingrid Liv Eva Berit Astrid Bjørg Hilde Anna Solveig Marianne Randi
    Ida Nina Maria Elisabeth Kristin Bente Heidi Silje Hanne Gerd Linda Tone Elin Anita Wenche
    Grete Camilla Ragnhild Ellen Mona Turid Karin Ingeborg Hege Marte Trine Irene Kirsten Unni
    Sissel Aud Sigrid Gunn Laila Stine Mari Julie Monica Monika Lene Siri Ann Else Kristine
    Emma Nora Sara Sofie Sofia Thea Emilie Maja Olivia Ella Leah Frida Amalie Hedda Tiril
    Vilde Andrea Mathilde Hanna Synnøve Åse Torill Grethe Eli Ruth Reidun Gro Vigdis Åshild
    Jorunn Tove Aslaug Margit Oda Malin Ane Guro Marthe Helene Cecilie Charlotte Karoline
    Caroline Jenny Amanda Mia Tuva Iben Selma Ingvild Kjersti Tonje Line Lise Bodil Britt
    Anette Janne Jorid Merete Mette Nanna Renate Rita Signe Siv Solfrid Torunn Tora Vibeke
    Anja Agnes Alma Aurora Ellinor Hedvig Henny Ingunn Johanne Kaja Lea Linnea Linn Lill Mai
    Marie Mille Mina Nathalie Pernille Regine Ronja Sunniva Tina Victoria Viktoria Yvonne Ylva
    Gunhild Gudrun Hilda Jorunn Kjellaug Magnhild Oddny Ranveig Sølvi Tordis Åsne Eldbjørg
    Erna Sonja Inga Jorunn Hjørdis Ingjerd Karen Lisbeth Margrethe Oddrun Solbjørg Trude
    """
    # Swedish, men
    """
    Mikael Peter Bengt Stefan Mattias Bo Göran Lennart Ulf Sven Niklas Christer Olof Olov
    Viktor Patrik Kent Simon Joakim Åke Stig Adam Gustav Gustaf Leo Theo Melvin Vincent Alfred
    Elliot Arvid Sixten Albin Kevin Jesper Pontus Rasmus Jimmy Dan Ingvar Kurt Torbjörn
    Jörgen Tomas Claes Jonny Håkan Gösta Sture Östen Roland Bertil Sten Holger Ingemar Linus
    Loke Malte Måns Samuel Sigge Ture Valter Walter Wilhelm Viggo Edvin Frans Harry Hampus
    Josef Kalle Olle Pelle Rickard Urban Algot Björn Conny Evert Folke Gunnar Göte Helmer
    Jöns Lage Lars-Erik Mauritz Nisse Ossian Per-Olof Ragnar Sune Tage Torsten Yngve
    """
    # Swedish, women
    """
    Kristina Margareta Birgitta Christina Linnéa Kerstin Lena Helena Johanna Cecilia Ulla
    Louise Annika Gunilla Susanne Carina Åsa Katarina Ingegerd Ulrika Elsa Klara Julia Ebba
    Wilma Alice Saga Vera Freja Stina Moa Lova Matilda Felicia Lisa Josefin Therese Emelie
    Sandra Jessica Madeleine Gun Agneta Barbro Viveka Birgit Gunnel Pia Anneli Petra Sanna
    Lovisa Nellie Tyra Elvira Edith Ester Greta Idun Iris Juni Lilly Majken Märta Svea Tilde
    Vilma Rebecka Jennie Veronica Katrin Maud Britta Ingela Marita Lotta Kajsa Ingegärd Berit
    Elisabet Ewa Gunvor Inga Irma Lillemor Margit Marianne Maj Maj-Britt Ronja Siw Solveig
    """
    # Common among people who have moved to Norway and Sweden
    """
    Mohammed Mohammad Muhammad Mohamed Mohamad Muhammed Ahmed Ahmad Ali Hassan Hasan Hussein
    Husein Hussain Omar Abdi Abdullahi Abdullah Abdirahman Abdulkadir Yusuf Youssef Yousef
    Mustafa Mostafa Ibrahim Ismail Khalid Mahmoud Mahmood Said Samir Karim Amir Reza Mehdi
    Mehmet Emre Murat Yasin Adnan Bilal Hamza Jamal Tariq Faisal Nasser Rashid Hamid Javad
    Arash Dariush Farid Sami Nabil Walid Zakaria Idris Anas Osman Othman Musa Mahad Liban
    Yonas Filmon Dawit Tesfay Yohannes Piotr Tomasz Krzysztof Pawel Paweł Jakub Michał
    Andrzej Marcin Łukasz Kamil Mateusz Dmytro Oleksandr Andrii Serhii Vladimir Dmitri Ivan
    Nikola Milan Dragan Goran Zoran Emir Edin Amel Arben Besnik Thanh Minh Duc Tuan Huy
    Fatima Fatuma Fadumo Amina Aisha Ayan Hodan Sahra Hawa Maryam Mariam Zainab Leila Layla
    Yasmin Nour Noor Zahra Hiba Asma Khadija Hamdi Hibaaq Samira Nadia Rania Dina Lina Huda
    Hanan Rahma Sumaya Ikram Ilham Asha Filsan Deeqa Ubah Halima Ruqia Meron Selam Senait
    Rahel Agnieszka Katarzyna Magdalena Joanna Aleksandra Natalia Olena Oksana Iryna Tetiana
    Svitlana Yulia Anastasia Daria Marta Zofia Emina Amra Lejla Linh Lan Hoa Trang Shirin
    Parisa Maryam Soraya Elif Zeynep Ayşe Fatma Hawre Rebin Dilan Berfin Roza Shilan
    """
    # English
    """
    James David Michael Richard Peter George Steven Stephen Andrew Chris Christopher Matthew
    Jack Ben Sam Joe Sarah Emily Jennifer Mary Susan Karen Laura Rachel Rebecca Kate Katie
    Sophie Lucy Hannah Amy Claire Helen Jane Tom Harry Charlie Emma
    """
)

SURNAMES = _names(
    # Norwegian
    """
    Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen Johnsen
    Pettersen Eriksen Berg Haugen Hagen Johannessen Andreassen Jacobsen Dahl Jørgensen
    Halvorsen Henriksen Lund Sørensen Jakobsen Moen Gundersen Iversen Strand Solberg Svendsen
    Eide Knutsen Martinsen Paulsen Bakken Kristoffersen Mathisen Lie Amundsen Rasmussen Lunde
    Solheim Berge Moe Nygård Bakke Kristensen Fredriksen Holm Lien Hauge Christensen Andresen
    Nielsen Knudsen Evensen Sæther Aas Myhre Hanssen Haugland Thomassen Sivertsen Simonsen
    Danielsen Berntsen Sandvik Rønning Arnesen Antonsen Næss Vik Haug Ellingsen Thorsen
    Edvardsen Birkeland Isaksen Gulbrandsen Ruud Aasen Strøm Myklebust Tangen Ødegård
    Eliassen Helland Bøe Jenssen Aune Mikkelsen Tveit Brekke Abrahamsen Madsen Nordmann Dalen
    Engen Fjeld Foss Hamre Hovland Hoel Holen Kvam Løken Mo Nilssen Nordby Nyland Rød Sand
    Sandnes Solli Stene Sunde Torp Tveiten Vold Wold Øien Aasland Aarseth Bjerke Bjørnstad
    Bråten Dahle Eikeland Fossum Gjerde Grande Haaland Holt Hovde Johnsrud Kolstad Kvale
    Lorentzen Mathiesen Moberg Nes Nordli Nygaard Opsahl Ottesen Riise Rye Skaug Skogen
    Stenersen Stokke Sveen Syversen Teigen Thorstensen Vestby Wiik Østby Øverland Ulvestad
    Somby Hætta Eira Gaup Buljo Solbakken Nordahl Kleven Sætre Ueland Aamodt Lyngstad
    """
    # Swedish
    """
    Andersson Johansson Karlsson Nilsson Eriksson Larsson Olsson Persson Svensson Gustafsson
    Pettersson Jonsson Jansson Hansson Bengtsson Jönsson Lindberg Jakobsson Magnusson
    Olofsson Lindström Lindqvist Lindgren Axelsson Bergström Lundberg Lind Lundgren Lundqvist
    Mattsson Berglund Fredriksson Sandberg Henriksson Forsberg Sjöberg Wallin Engström Eklund
    Danielsson Lundin Håkansson Björk Bergman Gunnarsson Wikström Samuelsson Isaksson
    Fransson Bergqvist Nyström Holmberg Arvidsson Löfgren Söderberg Nyberg Blomqvist Claesson
    Nordström Mårtensson Lundström Viklund Björklund Eliasson Pålsson Berggren Sandström
    Nordin Ström Åberg Hermansson Ekström Holmgren Sundberg Hedlund Dahlberg Hellström
    Sjögren Abrahamsson Falk Martinsson Öberg Andreasson Strömberg Månsson Åkesson Norberg
    Lindholm Jonasson Blom Sundström Åström Ivarsson Lindblom Ek Nordqvist Söderström Lindahl
    Lundell Sundqvist Öhman Wallgren Hedberg Ekberg Forsman Åkerman Ekman Sjöström Englund
    Boström Malm Lindén Wahlström Hallberg Holmqvist Nyman Sundin Göransson Ottosson Ahlberg
    Backman Kjellberg Kronberg Lindell Lindkvist Lindroth Löfström Malmberg Nordlund Nyqvist
    Rosén Rydberg Sandgren Stenberg Söderlund Törnqvist Wiklund Zetterberg Åslund Östlund
    Granström Wallén Palm Lilja Hedin Ahlström Berglöf Edlund Holmström Nord Sandin Wennberg
    """
    # Finnish, common in both countries
    """
    Virtanen Korhonen Nieminen Mäkinen Hämäläinen Laine Heikkinen Koskinen Järvinen Lehtonen
    """
    # Common among people who have moved to Norway and Sweden
    """
    Ali Ahmed Ahmad Mohamed Mohammed Muhammad Hassan Hussein Hussain Khan Nguyen Tran Pham
    Hoang Vu Yilmaz Kaya Demir Çelik Şahin Hosseini Mohammadi Ahmadi Rahimi Karimi Abdi Omar
    Osman Yusuf Ibrahim Jama Warsame Farah Abdullahi Hashi Nur Nowak Kowalski Kowalska
    Wiśniewski Lewandowski Kamiński Singh Kaur Shah Iqbal Malik Butt Chaudhry Akhtar Aziz
    Popescu Petrović Jovanović Hodžić Begić Haddad Khalil Saleh Mansour Tesfaye Gebremedhin
    Kovalenko Shevchenko Bondarenko
    """
    # English
    """
    Smith Jones Williams Taylor Wilson Johnson Davies Evans Roberts Walker Wright Robinson
    Thompson Hughes Clarke Jackson Harris Lewis Murphy Anderson Miller Davis Moore
    """
)

# What a Nordic (or other) surname often ends with: Hansen, Karlsson, Jónsdóttir, Bjørnstad,
# Myrvik, Lindström, Haugland, Ullmann, Virtanen, Kowalski, Jovanović, Hosseinzadeh, ...
SURNAME_ENDINGS: tuple[str, ...] = (
    "sen", "son", "dottir", "dóttir", "dotter", "datter", "stad", "rud", "vik", "berg",
    "ström", "strøm", "lund", "dal", "dahl", "land", "heim", "haug", "haugen", "holm", "gren",
    "qvist", "kvist", "quist", "blad", "lind", "bakken", "seth", "gård", "gaard", "moen",
    "sæter", "seter", "mann", "man", "nen", "ski", "ska", "wicz", "vić", "vic", "zadeh",
    "yan", "oğlu", "oglu",
)  # fmt: skip

# Capitalised words shaped like surnames that are places, organisations or plain words.
NOT_SURNAMES = _names(
    """
    Trondheim Narvik Larvik Harstad Lillestrøm Tønsberg Kongsberg Gjøvik Arendal Sunndal
    Stjørdal Verdal Mandal Grimstad Stockholm Karlstad Halmstad Kristianstad Nordland
    Rogaland Hordaland Finland England Island Holland Tyskland Skottland Irland Gotland Jylland
    Åland Lapland Grünerløkka Bussen Plassen Gressen Prosessen Person Season Reason Lesson
    Woman German Human Roman Batman Superman Narvesen Mannen Kvinnen Sentrum Kommunen
    Politiet Polisen Sverige Norge Bymisjon Frelsesarmeen
    """
)

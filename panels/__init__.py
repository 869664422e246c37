"""The Streamlit panels of the app: sidebar, tabs, cached loaders and the session state.

The only package that imports Streamlit; ``app.py`` is the frame that calls these panels.
"""
